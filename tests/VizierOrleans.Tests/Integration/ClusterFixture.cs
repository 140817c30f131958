using Orleans.TestingHost;
using VizierOrleans.ClientGateway;

namespace VizierOrleans.Tests.Integration;

/// <summary>One in-memory test cluster shared by the core integration tests.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public VizierClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = TestClusters.Builder("vizier-core-tests").WithTestAlgorithms();

        // Real sockets, so that worker processes can connect to the gateway.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        Cluster = await builder.StartAsync();
        Client = new VizierClient(Cluster.Client);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "core cluster";
}
