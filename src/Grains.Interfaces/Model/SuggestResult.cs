using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>What a suggest call returns: trials to evaluate, and if there are none, why.</summary>
[GenerateSerializer, Immutable, Alias("vizier.SuggestResult")]
public sealed record SuggestResult
{
    /// <summary>The trials handed to the caller (ACTIVE, with the caller's client id).</summary>
    [Id(0)] public ImmutableList<Trial> Trials { get; init; } = [];

    /// <summary>The study's state after the call.</summary>
    [Id(1)] public StudyState StudyState { get; init; }

    /// <summary>Why fewer trials than asked were returned, if so.</summary>
    [Id(2)] public string? Reason { get; init; }

    /// <summary>True when the study will hand out no new trials (budget allocated, grid exhausted, or study not ACTIVE).</summary>
    [Id(3)] public bool Exhausted { get; init; }

    /// <summary>
    /// True when the study hands out nothing new but other workers hold unfinished trials that can come back to the pool
    /// (the study has a trial lease): a worker should ask again later instead of quitting.
    /// </summary>
    [Id(4)] public bool MayHaveWorkLater { get; init; }
}
