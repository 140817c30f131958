using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>Metric values observed at one point of a trial's evaluation.</summary>
[GenerateSerializer, Immutable, Alias("vizier.Measurement")]
public sealed record Measurement
{
    /// <summary>Metric name -> value; finite numbers for metrics the study declares.</summary>
    [Id(0)] public ImmutableDictionary<string, double> Metrics { get; init; } = ImmutableDictionary<string, double>.Empty;

    /// <summary>The step (for example, training steps or epochs) at which it was taken.</summary>
    [Id(1)] public long Steps { get; init; }

    /// <summary>Seconds of evaluation so far.</summary>
    [Id(2)] public double ElapsedSeconds { get; init; }

    /// <summary>Creates a measurement from metric values.</summary>
    public static Measurement Of(IEnumerable<KeyValuePair<string, double>> metrics, long steps = 0, double elapsedSeconds = 0) =>
        new() { Metrics = metrics.ToImmutableDictionary(), Steps = steps, ElapsedSeconds = elapsedSeconds };

    /// <summary>Creates a measurement of one metric.</summary>
    public static Measurement Of(string metric, double value, long steps = 0, double elapsedSeconds = 0) =>
        Of([new KeyValuePair<string, double>(metric, value)], steps, elapsedSeconds);

    /// <summary>Structural equality.</summary>
    public bool Equals(Measurement? other) =>
        other is not null && Steps == other.Steps && ElapsedSeconds.Equals(other.ElapsedSeconds)
        && Metrics.Count == other.Metrics.Count
        && Metrics.All(kv => other.Metrics.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Steps, ElapsedSeconds, Metrics.Count);
}
