using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces.Policies;

/// <summary>A stopping policy's decisions and the metadata it wants stored.</summary>
[GenerateSerializer, Immutable, Alias("vizier.PolicyStopResponse")]
public sealed record PolicyStopResponse
{
    /// <summary>One decision per trial asked about.</summary>
    [Id(0)] public ImmutableList<StopDecision> Decisions { get; init; } = [];

    /// <summary>Study metadata to set.</summary>
    [Id(1)] public ImmutableList<MetadataItem> MetadataUpdates { get; init; } = [];

    /// <summary>Metadata to set on trials of the study.</summary>
    [Id(2)] public ImmutableList<TrialMetadataUpdate> TrialMetadataUpdates { get; init; } = [];
}
