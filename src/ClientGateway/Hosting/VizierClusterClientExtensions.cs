using System.Net;
using Orleans.Configuration;
using Orleans.Runtime;

namespace VizierOrleans.ClientGateway.Hosting;

/// <summary>Connects any Orleans client (a worker's, or the gRPC front door's) to a Vizier cluster.</summary>
public static class VizierClusterClientExtensions
{
    /// <summary>
    /// Points an Orleans client at the Vizier cluster <paramref name="options"/> describe: the listed gateways, else
    /// the local silo's gateway port. The Azure Table gateway list (<see cref="VizierClientOptions.AzureTables"/>) is
    /// not in this library: with it configured and no gateways listed, this throws, naming the setting and
    /// <c>UseVizierClusterWithAzureTables</c> of <c>VizierOrleans.ClientGateway.AzureStorage</c>, instead of silently
    /// connecting to the local gateway.
    /// </summary>
    public static IClientBuilder UseVizierCluster(this IClientBuilder client, VizierClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Gateways.Count == 0 && options.AzureTables is { IsConfigured: true })
        {
            throw new InvalidOperationException(
                "Vizier:AzureTables is set, but this client has no Azure Table gateway list: reference VizierOrleans.ClientGateway.AzureStorage and " +
                "connect with AzureTableClientHost.ConnectAsync or UseVizierClusterWithAzureTables, or list the gateways in Vizier:Gateways.");
        }

        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });

        // Parsed when the options are first used, after the host's start-up validation has named a bad entry.
        return client.UseStaticClustering(o => o.Gateways = options.Gateways.Count > 0
            ? [.. options.Gateways.Select(g => VizierClientHost.ParseEndpoint(g).ToGatewayUri())]
            : [new IPEndPoint(IPAddress.Loopback, options.GatewayPort).ToGatewayUri()]);
    }
}
