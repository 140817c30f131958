using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces.Policies;

/// <summary>One new point from a policy, with the trial metadata the policy wants on the trial made from it.</summary>
[GenerateSerializer, Immutable, Alias("vizier.PolicySuggestion")]
public sealed record PolicySuggestion
{
    /// <summary>The parameter assignment.</summary>
    [Id(0)] public required ImmutableDictionary<string, ParameterValue> Parameters { get; init; }

    /// <summary>Metadata stored on the new trial (an external policy such as PyGlove reads it back later).</summary>
    [Id(1)] public Metadata Metadata { get; init; } = Metadata.Empty;

    /// <summary>A suggestion without metadata.</summary>
    public static PolicySuggestion Of(ImmutableDictionary<string, ParameterValue> parameters) => new() { Parameters = parameters };
}
