using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime.Hosting;
using VizierOrleans.Persistence.AzureTables.Clustering;
using VizierOrleans.Persistence.AzureTables.Storage;

namespace VizierOrleans.Persistence.AzureTables.Hosting;

/// <summary>Adds the Azure Table grain storage and clustering to silos and clients.</summary>
public static class AzureTableHostingExtensions
{
    /// <summary>Adds a grain storage provider named <paramref name="name"/> on Azure Table Storage.</summary>
    public static ISiloBuilder AddAzureTableGrainStorage(this ISiloBuilder builder, string name, Action<AzureTableGrainStorageOptions> configure)
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

    /// <summary>Uses an Azure table as the silo's membership table.</summary>
    public static ISiloBuilder UseAzureTableClustering(this ISiloBuilder builder, Action<AzureTableClusteringOptions> configure)
    {
        builder.Services.Configure(configure);
        builder.Services.AddSingleton<IMembershipTable, AzureTableMembershipTable>();
        return builder;
    }

    /// <summary>Lets a client find gateways in the Azure membership table.</summary>
    public static IClientBuilder UseAzureTableClustering(this IClientBuilder builder, Action<AzureTableClusteringOptions> configure)
    {
        builder.Services.Configure(configure);
        builder.Services.AddSingleton<IGatewayListProvider, AzureTableGatewayListProvider>();
        return builder;
    }
}
