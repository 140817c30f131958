using System.Net;
using Orleans.Configuration;
using VizierOrleans.Persistence.AzureTables.Hosting;

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
        if (options.Gateways.Count == 0 && options.AzureTables is { } tables && (tables.ConnectionString is not null || tables.ServiceUri is not null))
        {
            client.UseAzureTableClustering(o =>
            {
                o.ConnectionString = tables.ConnectionString;
                o.ServiceUri = tables.ServiceUri;
                o.ManagedIdentityClientId = tables.ManagedIdentityClientId;
                o.Credential = tables.Credential;
                o.TableName = tables.TableName;
            });
        }
        else
        {
            var gateways = options.Gateways.Count > 0
                ? options.Gateways.Select(VizierClientHost.ParseEndpoint).ToArray()
                : [new IPEndPoint(IPAddress.Loopback, options.GatewayPort)];
            client.UseStaticClustering(gateways);
        }

        return client;
    }
}
