using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces.Policies;

/// <summary>Metadata items a policy sets on an existing trial of the study.</summary>
[GenerateSerializer, Immutable, Alias("vizier.TrialMetadataUpdate")]
public sealed record TrialMetadataUpdate
{
    /// <summary>The trial's id in the study.</summary>
    [Id(0)] public required long TrialId { get; init; }

    /// <summary>The items to set.</summary>
    [Id(1)] public ImmutableList<MetadataItem> Items { get; init; } = [];
}
