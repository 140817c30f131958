namespace VizierOrleans.LoadGenerator;

/// <summary>A trial handed to a load worker: its id and the two parameters of the cheap objective.</summary>
public readonly record struct OfferedTrial(long Id, double X, double Y);

/// <summary>
/// How a load worker talks to one study: through the Orleans client library, or over OSS Vizier's gRPC protocol.
/// Both throw on a failure worth retrying.
/// </summary>
public interface ILoadTarget
{
    /// <summary>The study's resource name.</summary>
    string Study { get; }

    /// <summary>One trial for <paramref name="clientId"/>, or none; <c>Finished</c> says the study will hand out no more.</summary>
    Task<(OfferedTrial? Trial, bool Finished)> SuggestAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>Completes a trial; returns the service's reason when it refused for good (null: acknowledged).</summary>
    Task<string?> CompleteAsync(OfferedTrial trial, double value, CancellationToken cancellationToken);
}
