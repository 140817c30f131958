using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces.Policies;

/// <summary>A policy's suggestions and the metadata it wants stored.</summary>
[GenerateSerializer, Immutable, Alias("vizier.PolicySuggestResponse")]
public sealed record PolicySuggestResponse
{
    /// <summary>
    /// New points, with their trial metadata. May hold more than the requested count (an evolutionary policy works in
    /// batches): the study hands out what was asked and keeps the rest as REQUESTED trials.
    /// </summary>
    [Id(0)] public ImmutableList<PolicySuggestion> Suggestions { get; init; } = [];

    /// <summary>Study metadata to set (the policy's own namespace).</summary>
    [Id(1)] public ImmutableList<MetadataItem> MetadataUpdates { get; init; } = [];

    /// <summary>True when the policy will never suggest anything new (for example, the grid is exhausted).</summary>
    [Id(2)] public bool Exhausted { get; init; }

    /// <summary>Metadata to set on existing trials of the study.</summary>
    [Id(3)] public ImmutableList<TrialMetadataUpdate> TrialMetadataUpdates { get; init; } = [];
}
