namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>
/// What a study tells its owner's listing: its summary, or that it is gone. Versions order the updates of one study: the
/// owner keeps the highest, so a retried or late update never overwrites a newer one.
/// </summary>
[GenerateSerializer, Immutable, Alias("vizier.StudySummaryUpdate")]
public sealed record StudySummaryUpdate
{
    /// <summary>The study id (the owner is the grain's key).</summary>
    [Id(0)] public required string StudyId { get; init; }

    /// <summary>Orders this study's updates; higher wins.</summary>
    [Id(1)] public long Version { get; init; }

    /// <summary>The summary, or null when the study does not exist (deleted, or its creation failed).</summary>
    [Id(2)] public StudySummary? Summary { get; init; }

    /// <summary>
    /// True while the study is being created: the owner keeps the entry (so a creation that dies half-way is found
    /// and checked later) but does not list it until the study confirms it.
    /// </summary>
    [Id(3)] public bool Provisional { get; init; }
}
