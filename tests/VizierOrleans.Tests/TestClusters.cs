using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.TestingHost;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Interfaces.Policies;
using VizierOrleans.Grpc;
using VizierOrleans.Grpc.Pythia;
using VizierOrleans.Persistence.AzureTables.Hosting;
using VizierOrleans.Tests.Integration;

namespace VizierOrleans.Tests;

/// <summary>
/// The one way tests build an in-process Orleans cluster of Vizier silos: memory storage unless told otherwise, plus
/// what a fixture asks for. Options travel to the silos as configuration properties, because test-cluster
/// configurators are created by type inside each silo.
/// </summary>
internal static class TestClusters
{
    private const string AzureTablesKey = "VizierTests:AzureTables";
    private const string TableNameKey = "VizierTests:TableName";
    private const string TestAlgorithmsKey = "VizierTests:TestAlgorithms";
    private const string ExternalPolicyTimeoutKey = "VizierTests:ExternalPolicyTimeout";
    private const string ResponseTimeoutKey = "VizierTests:ResponseTimeout";

    /// <summary>A builder of <paramref name="silos"/> Vizier silos under <paramref name="serviceId"/>.</summary>
    public static TestClusterBuilder Builder(string serviceId, short silos = 1)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.AddSiloBuilderConfigurator<VizierSiloConfigurator>();
        builder.AddClientBuilderConfigurator<VizierClientConfigurator>();
        return builder;
    }

    /// <summary>Grain state in Azure Tables (Azurite) instead of memory; the same service id finds the same data again.</summary>
    public static TestClusterBuilder WithAzureTableStorage(this TestClusterBuilder builder, string connectionString, string table = "ClusterTests")
    {
        builder.Options.ClusterId = $"{builder.Options.ServiceId}-{Guid.NewGuid():N}"[..40];
        builder.Properties[AzureTablesKey] = connectionString;
        builder.Properties[TableNameKey] = table;
        return builder;
    }

    /// <summary>The tests' own algorithms (<see cref="SurplusAlgorithm"/>, <see cref="BlockingAlgorithm"/>) besides the built-in ones.</summary>
    public static TestClusterBuilder WithTestAlgorithms(this TestClusterBuilder builder)
    {
        builder.Properties[TestAlgorithmsKey] = "true";
        return builder;
    }

    /// <summary>Studies may name an external policy service (PythiaService), called with <paramref name="timeout"/>.</summary>
    public static TestClusterBuilder WithExternalPolicies(this TestClusterBuilder builder, TimeSpan timeout)
    {
        builder.Properties[ExternalPolicyTimeoutKey] = timeout.ToString("c", CultureInfo.InvariantCulture);
        return builder;
    }

    /// <summary>Grain calls of the silos and the cluster's client time out after <paramref name="timeout"/> (Orleans: 30 s).</summary>
    public static TestClusterBuilder WithResponseTimeout(this TestClusterBuilder builder, TimeSpan timeout)
    {
        builder.Properties[ResponseTimeoutKey] = timeout.ToString("c", CultureInfo.InvariantCulture);
        return builder;
    }

    /// <summary>Builds and starts the cluster.</summary>
    public static async Task<TestCluster> StartAsync(this TestClusterBuilder builder)
    {
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Grain storage on Azurite, as <see cref="WithAzureTableStorage"/> describes.</summary>
    public static Task<TestCluster> StartOnAzureTablesAsync(string connectionString, string serviceId, short silos = 1) =>
        Builder(serviceId, silos).WithAzureTableStorage(connectionString).StartAsync();

    private sealed class VizierSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var configuration = silo.Configuration;
            if (configuration[AzureTablesKey] is { } connectionString)
            {
                silo.AddVizierAzureTableGrainStorage(StorageNames.Vizier, o =>
                {
                    o.ConnectionString = connectionString;
                    o.TableName = configuration[TableNameKey]!;
                });
            }
            else
            {
                silo.AddVizierMemoryGrainStorage();
            }

            silo.AddVizierGrains();
            if (configuration[TestAlgorithmsKey] == "true")
            {
                silo.AddVizierAlgorithm(SurplusAlgorithm.Name, () => new SurplusAlgorithm())
                    .AddVizierAlgorithm(BlockingAlgorithm.Name, () => new BlockingAlgorithm());
            }

            if (configuration[ResponseTimeoutKey] is { } responseTimeout)
            {
                silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.Parse(responseTimeout, CultureInfo.InvariantCulture));
            }

            if (configuration[ExternalPolicyTimeoutKey] is { } policyTimeout)
            {
                silo.Services.AddSingleton(Options.Create(new GrpcFrontDoorOptions { ExternalPolicyTimeout = TimeSpan.Parse(policyTimeout, CultureInfo.InvariantCulture), ExternalPolicyConnectTimeout = TimeSpan.FromSeconds(5) }));
                silo.Services.AddSingleton<PolicyEndpointAllowList>();
                silo.Services.AddSingleton<IExternalPolicyClient, PythiaPolicyClient>();
            }
        }
    }

    private sealed class VizierClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client)
        {
            if (configuration[ResponseTimeoutKey] is { } responseTimeout)
            {
                client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.Parse(responseTimeout, CultureInfo.InvariantCulture));
            }
        }
    }
}
