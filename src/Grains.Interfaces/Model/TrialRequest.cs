using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>
/// A trial a caller adds by hand: without a final measurement it is queued as REQUESTED (the next worker
/// gets it); with one it is stored as SUCCEEDED (warm start / import); with an infeasible reason, as INFEASIBLE.
/// </summary>
[GenerateSerializer, Immutable, Alias("vizier.TrialRequest")]
public sealed record TrialRequest
{
    /// <summary>The parameter values; must fit the search space.</summary>
    [Id(0)] public ImmutableDictionary<string, ParameterValue> Parameters { get; init; } = ImmutableDictionary<string, ParameterValue>.Empty;

    /// <summary>For an imported result: the final measurement.</summary>
    [Id(1)] public Measurement? FinalMeasurement { get; init; }

    /// <summary>For an imported infeasible result: why it was infeasible.</summary>
    [Id(2)] public string? InfeasibleReason { get; init; }

    /// <summary>Trial metadata.</summary>
    [Id(3)] public Metadata Metadata { get; init; } = Metadata.Empty;

    /// <summary>
    /// Optional key that makes the call safe to retry: a second call with the same key returns the trial the first one
    /// created instead of adding another. Stored on the trial (metadata namespace <c>vizier.request</c>).
    /// </summary>
    [Id(4)] public string? RequestKey { get; init; }

    /// <summary>For an imported result (SUCCEEDED or INFEASIBLE): its intermediate measurements, in the order they were taken.</summary>
    [Id(5)] public ImmutableList<Measurement> Measurements { get; init; } = [];
}
