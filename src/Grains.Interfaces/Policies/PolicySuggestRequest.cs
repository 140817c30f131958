using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces.Policies;

/// <summary>What a policy needs to suggest: the study and every trial it holds.</summary>
[GenerateSerializer, Immutable, Alias("vizier.PolicySuggestRequest")]
public sealed record PolicySuggestRequest
{
    /// <summary>The study's resource name.</summary>
    [Id(0)] public required string StudyName { get; init; }

    /// <summary>The study config.</summary>
    [Id(1)] public required StudyConfig Config { get; init; }

    /// <summary>The study's current metadata (algorithms keep state under their namespace).</summary>
    [Id(2)] public Metadata StudyMetadata { get; init; } = Metadata.Empty;

    /// <summary>Every trial of the study, in id order; pending (ACTIVE, REQUESTED) ones included.</summary>
    [Id(3)] public ImmutableList<Trial> Trials { get; init; } = [];

    /// <summary>How many new suggestions are wanted.</summary>
    [Id(4)] public int Count { get; init; }

    /// <summary>The id the first new trial will get (later ones follow), for reproducible seeding.</summary>
    [Id(5)] public long NextTrialId { get; init; }

    /// <summary>
    /// How long the study waits for the answer. The policy worker cancels its own computation once this much time has
    /// passed since it received the request: the caller's cancellation alone may never reach it (below).
    /// </summary>
    /// <remarks>
    /// Orleans routes a call's cancellation to the grain id; with several activations of a stateless worker it can
    /// reach an idle one instead of the one computing (dotnet/orleans#9877).
    /// </remarks>
    [Id(6)] public TimeSpan? Timeout { get; init; }
}
