using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using VizierOrleans.Grains.Telemetry;

namespace VizierOrleans.Grains.Hosting;

/// <summary>Turns on the silo's traces and metrics (subscribe to them with the names in <c>VizierTelemetryNames</c>).</summary>
public static class VizierTelemetrySiloBuilderExtensions
{
    /// <summary>
    /// Propagates trace context through grain calls, adds spans and metrics for suggest, complete and policy
    /// computations, and wraps the Vizier grain storage with spans and latency metrics. Call it after adding the grain
    /// storage named <see cref="StorageNames.Vizier"/>.
    /// </summary>
    public static ISiloBuilder AddVizierTelemetry(this ISiloBuilder builder)
    {
        // Orleans' propagation filter first, so the spans of our filter are children of the incoming call's span.
        builder.AddActivityPropagation();
        builder.AddIncomingGrainCallFilter<TelemetryCallFilter>();
        var services = builder.Services;
        var storage = services.LastOrDefault(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, StorageNames.Vizier))
            ?? throw new InvalidOperationException($"AddVizierTelemetry: add the grain storage '{StorageNames.Vizier}' first.");
        services.Remove(storage);
        services.AddKeyedSingleton<IGrainStorage>(StorageNames.Vizier, (provider, key) => new InstrumentedGrainStorage(
            StorageNames.Vizier, Create(storage, provider, key), provider.GetRequiredService<ILoggerFactory>().CreateLogger<InstrumentedGrainStorage>()));
        return builder;
    }

    private static IGrainStorage Create(ServiceDescriptor descriptor, IServiceProvider provider, object? key) => (IGrainStorage)(
        descriptor.KeyedImplementationFactory?.Invoke(provider, key)
        ?? descriptor.KeyedImplementationInstance
        ?? ActivatorUtilities.CreateInstance(provider, descriptor.KeyedImplementationType!));
}
