using VizierOrleans.ClientGateway.Hosting;

namespace VizierOrleans.Tests.Persistence;

/// <summary>
/// The chaos tests' cluster: two real silo processes with Azure Table membership and storage on Azurite, tuned to
/// declare a silent silo dead within seconds, and a client connected to them. Disposing stops client, then silos.
/// </summary>
internal sealed class TwoSiloCluster : IAsyncDisposable
{
    private TwoSiloCluster(SiloProcess first, SiloProcess second, VizierClientHost host)
    {
        First = first;
        Second = second;
        Host = host;
    }

    /// <summary>The silo the test leaves alone.</summary>
    public SiloProcess First { get; }

    /// <summary>The silo the test kills, pauses or cuts off.</summary>
    public SiloProcess Second { get; }

    /// <summary>The client connected to the cluster.</summary>
    public VizierClientHost Host { get; }

    /// <summary>
    /// Starts both silos (cluster <c>{prefix}-{unique}</c>, tables <c>{tablePrefix}*</c>) and connects a client. With
    /// <paramref name="network"/>, the first silo advertises the host side's address and the second runs inside the
    /// namespace (Azurite must then listen on the host side's address too).
    /// </summary>
    public static async Task<TwoSiloCluster> StartAsync(AzuriteFixture azurite, string prefix, string tablePrefix, TestNetwork? network = null)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = SiloProcess.AzureTableSettings($"{prefix}-{id}", tablePrefix, azurite.ConnectionString);

        // Declare a silent (or dead) silo dead within seconds.
        settings["Orleans__Membership__ProbeTimeout"] = "00:00:01";
        settings["Orleans__Membership__NumMissedProbesLimit"] = "2";
        settings["Orleans__Membership__NumVotesForDeathDeclaration"] = "1";
        var first = await SiloProcess.StartAsync(network is null ? settings : new Dictionary<string, string>(settings) { ["Vizier__AdvertisedIPAddress"] = network.HostIp });
        SiloProcess? second = null;
        try
        {
            second = network is null
                ? await SiloProcess.StartAsync(settings)
                : await SiloProcess.StartAsync(new Dictionary<string, string>(settings) { ["Vizier__AdvertisedIPAddress"] = network.NamespaceIp }, networkNamespace: network.Namespace);
            var host = await VizierOrleans.ClientGateway.AzureStorage.AzureTableClientHost.ConnectAsync(o =>
            {
                o.ClusterId = settings["Vizier__ClusterId"];
                o.ServiceId = settings["Vizier__ServiceId"];
                o.AzureTables = new AzureTableGatewayOptions { ConnectionString = azurite.ConnectionString, TableName = $"{tablePrefix}Membership" };
            });
            return new TwoSiloCluster(first, second, host);
        }
        catch
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            await first.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}
