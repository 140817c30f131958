using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces.Policies;

/// <summary>What a stopping policy needs: the study and its trials, and which trials to judge.</summary>
[GenerateSerializer, Immutable, Alias("vizier.PolicyStopRequest")]
public sealed record PolicyStopRequest
{
    /// <summary>The study's resource name.</summary>
    [Id(0)] public required string StudyName { get; init; }

    /// <summary>The study config (its stopping config picks the rule).</summary>
    [Id(1)] public required StudyConfig Config { get; init; }

    /// <summary>Every trial of the study, with measurements.</summary>
    [Id(2)] public ImmutableList<Trial> Trials { get; init; } = [];

    /// <summary>The trials to decide for.</summary>
    [Id(3)] public ImmutableList<long> TrialIds { get; init; } = [];

    /// <summary>The study's current metadata (a policy keeps its state there, as for suggestions).</summary>
    [Id(4)] public Metadata StudyMetadata { get; init; } = Metadata.Empty;

    /// <summary>
    /// How long the study waits for the decisions; the policy worker cancels its own computation once this much time
    /// has passed since it received the request (see <see cref="PolicySuggestRequest.Timeout"/>).
    /// </summary>
    [Id(5)] public TimeSpan? Timeout { get; init; }
}
