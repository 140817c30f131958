using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.LoadGenerator;

/// <summary>The client library's calls: suggest 1 and complete on the study grain.</summary>
public sealed class OrleansLoadTarget(StudyHandle study) : ILoadTarget
{
    /// <inheritdoc />
    public string Study => study.Name;

    /// <inheritdoc />
    public async Task<(OfferedTrial? Trial, bool Finished)> SuggestAsync(string clientId, CancellationToken cancellationToken)
    {
        var result = await study.SuggestDetailedAsync(1, clientId, cancellationToken);
        return result.Trials.IsEmpty
            ? (null, result.Exhausted)
            : (new OfferedTrial(result.Trials[0].Id, result.Trials[0].Parameters["x"].AsDouble(), result.Trials[0].Parameters["y"].AsDouble()), false);
    }

    /// <inheritdoc />
    public async Task<string?> CompleteAsync(OfferedTrial trial, double value, CancellationToken cancellationToken)
    {
        try
        {
            await study.Trial(trial.Id).CompleteAsync(Measurement.Of("loss", value));
            return null;
        }
        catch (FailedPreconditionException e)
        {
            // Completed by someone else (lease expiry) or study finished: nothing to retry.
            return e.Message;
        }
    }
}
