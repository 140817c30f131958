using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using VizierOrleans.Persistence.AzureTables;
using VizierOrleans.Persistence.AzureTables.Clustering;

namespace VizierOrleans.Tests.Persistence;

[Collection(AzuriteCollection.Name)]
public sealed class MembershipTableTests(AzuriteFixture azurite)
{
    private readonly string _clusterId = $"cluster/{Guid.NewGuid():N}";

    private AzureTableMembershipTable NewTable() => new(
        Options.Create(new AzureTableClusteringOptions { ConnectionString = azurite.ConnectionString, TableName = "MembershipTests" }),
        Options.Create(new ClusterOptions { ClusterId = _clusterId, ServiceId = "svc" }),
        NullLogger<AzureTableMembershipTable>.Instance);

    private static MembershipEntry Entry(int port, SiloStatus status, DateTime? alive = null) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 42),
        Status = status,
        ProxyPort = port + 1000,
        HostName = "host",
        SiloName = $"silo-{port}",
        RoleName = "vizier",
        StartTime = new DateTime(2026, 11, 22, 8, 0, 0, DateTimeKind.Utc),
        IAmAliveTime = alive ?? new DateTime(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc),
        SuspectTimes = [],
    };

    [Fact]
    public async Task Rows_change_atomically_with_the_table_version()
    {
        var table = NewTable();
        await table.InitializeMembershipTable(tryInitTableVersion: true);
        await NewTable().InitializeMembershipTable(tryInitTableVersion: true);
        var empty = await table.ReadAll();
        Assert.Empty(empty.Members);
        Assert.Equal(0, empty.Version.Version);

        var a = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRow(a, empty.Version.Next()));

        // Same version again: another silo already moved it on.
        Assert.False(await table.InsertRow(Entry(11112, SiloStatus.Joining), empty.Version.Next()));

        var one = await table.ReadAll();
        Assert.Equal(1, one.Version.Version);
        var (stored, etag) = Assert.Single(one.Members);
        Assert.Equal(a.SiloAddress, stored.SiloAddress);
        Assert.Equal(SiloStatus.Joining, stored.Status);
        Assert.Equal(12111, stored.ProxyPort);
        Assert.Equal(a.StartTime, stored.StartTime);

        stored.Status = SiloStatus.Active;
        stored.AddOrUpdateSuspector(SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 2), 1), new DateTime(2026, 11, 22, 9, 30, 0, DateTimeKind.Utc), 10);
        Assert.True(await table.UpdateRow(stored, etag, one.Version.Next()));
        Assert.False(await table.UpdateRow(stored, etag, one.Version.Next().Next()));

        var two = await table.ReadRow(a.SiloAddress);
        var (active, activeEtag) = Assert.Single(two.Members);
        Assert.Equal(SiloStatus.Active, active.Status);
        Assert.Single(active.SuspectTimes!);
        Assert.Equal(2, two.Version.Version);

        active.IAmAliveTime = new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc);
        await table.UpdateIAmAlive(active);
        Assert.Equal(active.IAmAliveTime, (await table.ReadAll()).Members.Single().Item1.IAmAliveTime);
        _ = activeEtag;
    }

    [Fact]
    public async Task Cleanup_removes_only_old_dead_entries_and_gateways_list_active_silos()
    {
        var table = NewTable();
        await table.InitializeMembershipTable(true);
        foreach (var e in new[]
        {
            Entry(1, SiloStatus.Dead, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            Entry(2, SiloStatus.Dead, new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc)),
            Entry(3, SiloStatus.Active),
        })
        {
            // Each change needs the current version row's ETag.
            Assert.True(await table.InsertRow(e, (await table.ReadAll()).Version.Next()));
        }

        await table.CleanupDefunctSiloEntries(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal([2, 3], (await table.ReadAll()).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order());

        var gateways = new AzureTableGatewayListProvider(
            Options.Create(new AzureTableClusteringOptions { ConnectionString = azurite.ConnectionString, TableName = "MembershipTests" }),
            Options.Create(new ClusterOptions { ClusterId = _clusterId, ServiceId = "svc" }),
            Options.Create(new GatewayOptions()));
        await gateways.InitializeGatewayListProvider();
        var uri = Assert.Single(await gateways.GetGateways());
        Assert.Equal(1003, uri.Port);

        await table.DeleteMembershipTableEntries(_clusterId);
        Assert.Empty((await table.ReadAll()).Members);
    }
}
