namespace VizierOrleans.Grains.Interfaces.Telemetry;

/// <summary>
/// The names under which the service reports traces and metrics, for hosts that subscribe to them (OpenTelemetry's
/// <c>AddSource</c> and <c>AddMeter</c>) and for operators looking for them.
/// </summary>
public static class VizierTelemetryNames
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of suggest, complete, policy, storage and external-policy spans.</summary>
    public const string ActivitySource = "VizierOrleans";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of the service's own metrics (<c>vizier.*</c>).</summary>
    public const string Meter = "VizierOrleans";

    /// <summary>Orleans' own meter (messaging, grains, membership, storage).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Orleans' activity sources: grain calls between clients, silos and grains.</summary>
    public static readonly IReadOnlyList<string> OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];
}
