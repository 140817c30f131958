namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>An early-stopping verdict for one trial.</summary>
/// <param name="TrialId">The trial.</param>
/// <param name="ShouldStop">True when the trial should stop.</param>
/// <param name="Reason">Why, in words.</param>
[GenerateSerializer, Immutable, Alias("vizier.StopDecision")]
public sealed record StopDecision([property: Id(0)] long TrialId, [property: Id(1)] bool ShouldStop, [property: Id(2)] string Reason);
