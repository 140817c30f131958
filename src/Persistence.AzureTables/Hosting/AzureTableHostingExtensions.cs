using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using VizierOrleans.Grains.Storage;
using VizierOrleans.Persistence.AzureTables.Storage;

namespace VizierOrleans.Persistence.AzureTables.Hosting;

/// <summary>Adds the Azure Table grain storage to silos.</summary>
public static class AzureTableHostingExtensions
{
    /// <summary>Adds a grain storage provider named <paramref name="name"/> on Azure Table Storage.</summary>
    public static ISiloBuilder AddAzureTableGrainStorage(this ISiloBuilder builder, string name, Action<AzureTableGrainStorageOptions> configure)
    {
        var options = new AzureTableGrainStorageOptions();
        configure(options);
        options.Validate($"Grain storage '{name}'");

        // One instance per name serves as the grain storage (whose silo-lifecycle participant creates the table) and as the
        // range reader, also when a decorator (telemetry) wraps the grain storage. The partition layout comes from the
        // grains (AddVizierGrains registers theirs).
        builder.Services.AddKeyedSingleton(name, (services, key) => new AzureTableGrainStorage(
            (string)key!,
            options,
            services.GetRequiredService<IOptions<ClusterOptions>>().Value,
            services.GetService<IStoragePartitionLayout>(),
            services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<AzureTableGrainStorage>>()));
        builder.Services.AddGrainStorage(name, (services, key) => services.GetRequiredKeyedService<AzureTableGrainStorage>(key));
        builder.Services.AddKeyedSingleton<IGrainStatePartitionReader>(name, (services, key) => services.GetRequiredKeyedService<AzureTableGrainStorage>(key));
        return builder;
    }
}
