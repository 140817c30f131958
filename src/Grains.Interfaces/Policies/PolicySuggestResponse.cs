using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces.Policies;

/// <summary>A policy's suggestions and the metadata it wants stored.</summary>
[GenerateSerializer, Immutable, Alias("vizier.PolicySuggestResponse")]
public sealed record PolicySuggestResponse
{
    /// <summary>New parameter assignments, at most the requested count.</summary>
    [Id(0)] public ImmutableList<ImmutableDictionary<string, ParameterValue>> Suggestions { get; init; } = [];

    /// <summary>Study metadata to set (the policy's own namespace).</summary>
    [Id(1)] public ImmutableList<MetadataItem> MetadataUpdates { get; init; } = [];

    /// <summary>True when the policy will never suggest anything new (for example, the grid is exhausted).</summary>
    [Id(2)] public bool Exhausted { get; init; }
}
