using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>
/// A study as its owner's listing holds it: the study itself plus its trial counts and best values, kept current by
/// the study without activating it for a listing. Trial counts and best values may lag the study by the study's
/// summary interval (<c>Vizier:Study:SummaryInterval</c>); creation, state changes and deletes do not lag.
/// </summary>
[GenerateSerializer, Immutable, Alias("vizier.StudySummary")]
public sealed record StudySummary
{
    /// <summary>The study: name, config, state, create time, metadata.</summary>
    [Id(0)] public required StudyInfo Study { get; init; }

    /// <summary>Trials by state (states without trials are left out).</summary>
    [Id(1)] public ImmutableSortedDictionary<TrialState, int> TrialCounts { get; init; } = ImmutableSortedDictionary<TrialState, int>.Empty;

    /// <summary>The best final value of each objective among SUCCEEDED trials that meet the safety thresholds (absent when none).</summary>
    [Id(2)] public ImmutableSortedDictionary<string, double> Best { get; init; } = ImmutableSortedDictionary<string, double>.Empty;

    /// <summary>When the study computed this summary.</summary>
    [Id(3)] public DateTimeOffset UpdateTime { get; init; }

    /// <summary>How many trials the study holds.</summary>
    public int TrialCount => TrialCounts.Values.Sum();
}
