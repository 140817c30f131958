using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using VizierOrleans.Grains.Interfaces.Model;
using Wire = VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Grpc.Mapping;

/// <summary>Measurements between the wire and the domain model.</summary>
internal static class MeasurementMapper
{
    /// <summary>A domain measurement; for duplicate metric ids the last one wins, as the OSS client reads them.</summary>
    public static Measurement FromWire(Wire.Measurement m)
    {
        var metrics = ImmutableDictionary.CreateBuilder<string, double>();
        foreach (var metric in m.Metrics)
        {
            metrics[metric.MetricId] = metric.Value;
        }

        var elapsed = m.ElapsedDuration is { } d ? d.Seconds + (d.Nanos / 1e9) : 0;
        return new Measurement { Metrics = metrics.ToImmutable(), Steps = m.StepCount, ElapsedSeconds = elapsed };
    }

    /// <summary>The wire form; metrics in name order.</summary>
    public static Wire.Measurement ToWire(Measurement m)
    {
        var wire = new Wire.Measurement
        {
            StepCount = m.Steps,
            ElapsedDuration = Duration.FromTimeSpan(TimeSpan.FromTicks((long)Math.Round(m.ElapsedSeconds * TimeSpan.TicksPerSecond))),
        };
        wire.Metrics.AddRange(m.Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new Wire.Measurement.Types.Metric { MetricId = kv.Key, Value = kv.Value }));
        return wire;
    }
}
