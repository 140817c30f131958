namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>A metric that trials report.</summary>
[GenerateSerializer, Immutable, Alias("vizier.MetricConfig")]
public sealed record MetricConfig
{
    /// <summary>The metric's name, unique in the study.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>Maximize or minimize.</summary>
    [Id(1)] public MetricGoal Goal { get; init; } = MetricGoal.Maximize;

    /// <summary>
    /// When set, this is a safety metric: a trial is safe when its value is on the good side of the
    /// threshold (at least it when maximizing, at most it when minimizing). Safety metrics are not objectives.
    /// </summary>
    [Id(2)] public double? SafetyThreshold { get; init; }

    /// <summary>Desired minimum fraction of safe trials, in [0, 1]; only for safety metrics.</summary>
    [Id(3)] public double? DesiredMinSafeTrialsFraction { get; init; }

    /// <summary>True when this metric is a safety constraint rather than an objective.</summary>
    public bool IsSafety => SafetyThreshold is not null;

    /// <summary>True when <paramref name="value"/> is on the good side of the safety threshold (always true for objectives).</summary>
    public bool IsSafe(double value) => SafetyThreshold is not double t || (Goal == MetricGoal.Maximize ? value >= t : value <= t);

    /// <summary>Creates an objective metric.</summary>
    public static MetricConfig Objective(string name, MetricGoal goal) => new() { Name = name, Goal = goal };
}
