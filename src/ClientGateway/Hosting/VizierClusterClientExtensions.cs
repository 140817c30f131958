using System.Net;
using Orleans.Configuration;
using Orleans.Runtime;

namespace VizierOrleans.ClientGateway.Hosting;

/// <summary>Connects any Orleans client (a worker's, or the gRPC front door's) to a Vizier cluster.</summary>
public static class VizierClusterClientExtensions
{
    /// <summary>
    /// Points an Orleans client at the Vizier cluster <paramref name="options"/> describe: the listed gateways, else
    /// the Azure table gateway list when one is configured, else the local silo's gateway port.
    /// </summary>
    public static IClientBuilder UseVizierCluster(this IClientBuilder client, VizierClientOptions options)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        if (options.Gateways.Count == 0 && options.AzureTables is { IsConfigured: true } tables)
        {
            // Orleans' own Azure Table gateway list: it follows silos as they join and leave the membership table.
            client.UseAzureStorageClustering(o => tables.ApplyTo(o));
        }
        else
        {
            // Parsed when the options are first used, after the host's start-up validation has named a bad entry.
            client.UseStaticClustering(o => o.Gateways = options.Gateways.Count > 0
                ? [.. options.Gateways.Select(g => VizierClientHost.ParseEndpoint(g).ToGatewayUri())]
                : [new IPEndPoint(IPAddress.Loopback, options.GatewayPort).ToGatewayUri()]);
        }

        return client;
    }
}
