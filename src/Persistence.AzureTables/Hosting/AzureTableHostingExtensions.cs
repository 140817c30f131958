using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
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
        var options = new AzureTableGrainStorageOptions();
        configure(options);
        options.Validate($"Grain storage '{name}'");

        // The factory returns the concrete type so that its silo-lifecycle participant (table creation) is registered.
        builder.Services.AddGrainStorage(name, (services, key) => new AzureTableGrainStorage(
            key,
            options,
            services.GetRequiredService<IOptions<ClusterOptions>>().Value,
            services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<AzureTableGrainStorage>>()));
        return builder;
    }
}
