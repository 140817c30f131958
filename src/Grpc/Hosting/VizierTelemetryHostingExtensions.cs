using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using VizierOrleans.Grains.Interfaces.Telemetry;

namespace VizierOrleans.Grpc.Hosting;

/// <summary>OpenTelemetry for the silo and the front door: metrics on <c>/metrics</c> always, OTLP export when configured.</summary>
public static class VizierTelemetryHostingExtensions
{
    /// <summary>The environment variable (or setting) that turns on OTLP export of traces, metrics and logs.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The environment variable (or setting) that turns on export to Azure Monitor (Application Insights).</summary>
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// Collects the service's own metrics, Orleans' and ASP.NET Core's for the Prometheus scrape endpoint; when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, also traces (the service's spans, Orleans' grain calls, incoming gRPC
    /// and HTTP requests) and logs, sent there with the standard <c>OTEL_*</c> settings; when
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (the Bicep deployment's <c>telemetry</c> parameter), all of
    /// them go to Azure Monitor.
    /// </summary>
    public static WebApplicationBuilder AddVizierOpenTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(VizierTelemetryNames.Meter, VizierTelemetryNames.OrleansMeter)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]);
        var azureMonitor = builder.Configuration[AzureMonitorSetting] is { Length: > 0 } connectionString ? connectionString : null;
        if (otlp || azureMonitor is not null)
        {
            otel.WithTracing(tracing => tracing
                .AddSource(VizierTelemetryNames.ActivitySource)
                .AddSource([.. VizierTelemetryNames.OrleansActivitySources])
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path)));
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            });
        }

        if (otlp)
        {
            otel.UseOtlpExporter();
        }

        if (azureMonitor is not null)
        {
            otel.UseAzureMonitorExporter(o => o.ConnectionString = azureMonitor);
        }

        return builder;
    }

    /// <summary>Maps the Prometheus scrape endpoint <c>GET /metrics</c>.</summary>
    public static WebApplication MapVizierMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint();
        return app;
    }

    private static bool IsProbe(PathString path) => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics");
}
