using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>The output of one suggestion call.</summary>
public sealed record SuggestionOutcome
{
    /// <summary>New parameter assignments; each fits the search space.</summary>
    public IReadOnlyList<ImmutableDictionary<string, ParameterValue>> Suggestions { get; init; } = [];

    /// <summary>Study metadata the algorithm wants stored (under its own namespace).</summary>
    public IReadOnlyList<MetadataItem> MetadataUpdates { get; init; } = [];

    /// <summary>True when the algorithm will never suggest anything new.</summary>
    public bool Exhausted { get; init; }
}
