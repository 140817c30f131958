using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>One page of an owner's studies, in ordinal study id order.</summary>
[GenerateSerializer, Immutable, Alias("vizier.StudySummaryPage")]
public sealed record StudySummaryPage
{
    /// <summary>The studies of this page.</summary>
    [Id(0)] public ImmutableList<StudySummary> Studies { get; init; } = [];

    /// <summary>Where the next page starts (pass it back as the page token), or null on the last page.</summary>
    [Id(1)] public string? NextPageToken { get; init; }
}
