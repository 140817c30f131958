using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>The problem statement of a study: search space, metrics, algorithm and options.</summary>
[GenerateSerializer, Immutable, Alias("vizier.StudyConfig")]
public sealed record StudyConfig
{
    /// <summary>The root parameters (every trial has them); conditional ones hang below them.</summary>
    [Id(0)] public ImmutableList<ParameterConfig> Parameters { get; init; } = [];

    /// <summary>The metrics trials report: objectives and safety constraints.</summary>
    [Id(1)] public ImmutableList<MetricConfig> Metrics { get; init; } = [];

    /// <summary>The algorithm's name; see <see cref="AlgorithmNames"/>.</summary>
    [Id(2)] public string Algorithm { get; init; } = AlgorithmNames.Default;

    /// <summary>A hint about the objective's noise.</summary>
    [Id(3)] public ObservationNoise ObservationNoise { get; init; }

    /// <summary>Automated early stopping.</summary>
    [Id(4)] public StoppingConfig Stopping { get; init; } = new();

    /// <summary>Study metadata at creation.</summary>
    [Id(5)] public Metadata Metadata { get; init; } = Metadata.Empty;

    /// <summary>When set, the study completes once this many trials have completed and creates no more.</summary>
    [Id(6)] public int? MaxTrials { get; init; }

    /// <summary>When set, the same seed gives the same suggestions.</summary>
    [Id(7)] public long? Seed { get; init; }

    /// <summary>
    /// When set, an ACTIVE trial whose worker has been silent (no suggest, measurement or should-stop call for it)
    /// for longer than this goes back to the REQUESTED pool so another worker can take it. A late completion from
    /// the original worker is still accepted, once. Null: trials stay with their worker (as OSS Vizier does).
    /// </summary>
    [Id(8)] public TimeSpan? TrialLease { get; init; }

    /// <summary>The objective metrics (those without a safety threshold).</summary>
    public IEnumerable<MetricConfig> Objectives => Metrics.Where(m => !m.IsSafety);

    /// <summary>The safety metrics.</summary>
    public IEnumerable<MetricConfig> SafetyMetrics => Metrics.Where(m => m.IsSafety);
}
