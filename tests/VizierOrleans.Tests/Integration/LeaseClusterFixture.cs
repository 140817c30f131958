using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Tests.Integration;

/// <summary>
/// An in-memory cluster whose trial leases run on a fake clock (<see cref="LeaseClock"/>): a test moves
/// <see cref="Clock"/> past a lease instead of sleeping, while Orleans itself keeps the real clock. With the
/// service's telemetry, so a test can see the lease-expiry counter.
/// </summary>
public sealed class LeaseClusterFixture : IAsyncLifetime
{
    // The silos run in this process; their configurator is created by type, so it finds the clock here.
    private static readonly FakeTimeProvider SharedClock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public TestCluster Cluster { get; private set; } = null!;

    public VizierClient Client { get; private set; } = null!;

    /// <summary>The clock every lease of the cluster is measured on.</summary>
    public FakeTimeProvider Clock { get; } = SharedClock;

    public async Task InitializeAsync()
    {
        var builder = TestClusters.Builder("vizier-lease-tests");
        builder.AddSiloBuilderConfigurator<FakeLeaseClock>();
        Cluster = await builder.StartAsync();
        Client = new VizierClient(Cluster.Client);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class FakeLeaseClock : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddSingleton(new LeaseClock(SharedClock));
            silo.AddVizierTelemetry();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LeaseClusterCollection : ICollectionFixture<LeaseClusterFixture>
{
    public const string Name = "lease cluster";
}
