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
    /// <summary>
    /// Adds this project's grain storage provider named <paramref name="name"/> on Azure Table Storage (trials of a study
    /// share partitions, concurrent writes are grouped into transactions). Orleans' own provider is
    /// <c>AddAzureTableGrainStorage</c>.
    /// </summary>
    public static ISiloBuilder AddVizierAzureTableGrainStorage(this ISiloBuilder builder, string name, Action<AzureTableGrainStorageOptions> configure)
    {
        // Named options (several providers can live side by side), validated when the host starts: a bad setting stops
        // the silo with a message that names the provider and the setting.
        builder.Services.AddOptions<AzureTableGrainStorageOptions>(name).Configure(configure).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AzureTableGrainStorageOptions>>(new AzureTableGrainStorageOptionsValidator(name));

        // One instance per name serves as the grain storage (whose silo-lifecycle participant creates the table) and as the
        // range reader and the summary store, also when a decorator (telemetry) wraps the grain storage. The partition layout comes from the
        // grains (AddVizierGrains registers theirs).
        builder.Services.AddKeyedSingleton(name, (services, key) => new AzureTableGrainStorage(
            (string)key!,
            services.GetRequiredService<IOptionsMonitor<AzureTableGrainStorageOptions>>().Get((string)key!),
            services.GetRequiredService<IOptions<ClusterOptions>>().Value,
            services.GetService<IStoragePartitionLayout>(),
            services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<AzureTableGrainStorage>>()));
        builder.Services.AddGrainStorage(name, (services, key) => services.GetRequiredKeyedService<AzureTableGrainStorage>(key));
        builder.Services.AddKeyedSingleton<IGrainStatePartitionReader>(name, (services, key) => services.GetRequiredKeyedService<AzureTableGrainStorage>(key));
        builder.Services.AddKeyedSingleton<IPartitionSummaryStore>(name, (services, key) => services.GetRequiredKeyedService<AzureTableGrainStorage>(key));
        return builder;
    }
}
