using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>A child parameter that is active only when its parent takes one of <see cref="ParentValues"/>.</summary>
[GenerateSerializer, Immutable, Alias("vizier.ConditionalParameter")]
public sealed record ConditionalParameter
{
    /// <summary>The parent values that activate the child; each must be a feasible value of the parent.</summary>
    [Id(0)] public ImmutableList<ParameterValue> ParentValues { get; init; } = [];

    /// <summary>The child parameter (it may have children of its own).</summary>
    [Id(1)] public required ParameterConfig Parameter { get; init; }
}
