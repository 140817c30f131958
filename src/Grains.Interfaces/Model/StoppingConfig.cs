namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>Automated early stopping for a study.</summary>
[GenerateSerializer, Immutable, Alias("vizier.StoppingConfig")]
public sealed record StoppingConfig
{
    /// <summary>The rule; <see cref="StoppingRule.None"/> by default.</summary>
    [Id(0)] public StoppingRule Rule { get; init; }

    /// <summary>No decision before a trial has reported this many steps.</summary>
    [Id(1)] public long MinSteps { get; init; }

    /// <summary>No decision before this many trials have completed.</summary>
    [Id(2)] public int MinCompletedTrials { get; init; } = 3;
}
