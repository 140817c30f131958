namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>
/// A suggest request that may outlive one call: done with a result or an error, or still being computed (a slow
/// policy), in which case the caller asks again with its <see cref="Id"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("vizier.SuggestOperation")]
public sealed record SuggestOperation
{
    /// <summary>The operation's id within its study, unique across activations of the study.</summary>
    [Id(0)] public required long Id { get; init; }

    /// <summary>The client the trials are for.</summary>
    [Id(1)] public required string ClientId { get; init; }

    /// <summary>True once the suggestion has a result or has failed.</summary>
    [Id(2)] public bool Done { get; init; }

    /// <summary>The trials handed out, once done without error.</summary>
    [Id(3)] public SuggestResult? Result { get; init; }

    /// <summary>Why the suggestion failed (nothing was created), once done with an error.</summary>
    [Id(4)] public VizierErrorCode? ErrorCode { get; init; }

    /// <summary>The failure's message, naming the policy or field at fault.</summary>
    [Id(5)] public string? ErrorMessage { get; init; }
}
