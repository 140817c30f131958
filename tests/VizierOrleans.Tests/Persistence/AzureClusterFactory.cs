using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Persistence.AzureTables.Hosting;

namespace VizierOrleans.Tests.Persistence;

/// <summary>Test clusters whose grain state lives in Azurite; the same service id finds the same data again.</summary>
internal static class AzureClusterFactory
{
    public static async Task<TestCluster> StartAsync(string connectionString, string serviceId, int silos = 1)
    {
        var builder = new TestClusterBuilder((short)silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = $"{serviceId}-{Guid.NewGuid():N}"[..40];
        builder.Properties["Azurite"] = connectionString;
        builder.AddSiloBuilderConfigurator<Configurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) =>
            silo.AddAzureTableGrainStorage(StorageNames.Vizier, o =>
                {
                    o.ConnectionString = silo.Configuration["Azurite"];
                    o.TableName = "ClusterTests";
                })
                .AddVizierGrains();
    }
}
