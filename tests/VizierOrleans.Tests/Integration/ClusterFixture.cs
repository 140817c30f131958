using Orleans.TestingHost;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Hosting;

namespace VizierOrleans.Tests.Integration;

/// <summary>One in-memory test cluster shared by the core integration tests.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public VizierClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = "vizier-core-tests";

        // Real sockets, so that worker processes can connect to the gateway.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Client = new VizierClient(Cluster.Client);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) =>
            silo.AddMemoryGrainStorage(StorageNames.Vizier)
                .AddVizierGrains()
                .AddVizierAlgorithm(SurplusAlgorithm.Name, () => new SurplusAlgorithm())
                .AddVizierAlgorithm(BlockingAlgorithm.Name, () => new BlockingAlgorithm());
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "core cluster";
}
