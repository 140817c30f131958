using Azure.Core;
using Orleans.Configuration;
using VizierOrleans.ClientGateway.Hosting;

namespace VizierOrleans.ClientGateway.AzureStorage;

/// <summary>
/// The Azure Table gateway list for Orleans clients of a Vizier cluster, through Orleans' own
/// <c>Microsoft.Orleans.Clustering.AzureStorage</c>. It lives apart from the core client library because that package
/// brings Orleans' silo runtime and the membership-table code, which a worker that lists its gateways never needs.
/// </summary>
public static class AzureTableClusterClientExtensions
{
    /// <summary>
    /// Points an Orleans client at the Vizier cluster <paramref name="options"/> describe: the listed gateways, else the
    /// gateways of the active silos in the Azure membership table (<see cref="VizierClientOptions.AzureTables"/>, which
    /// follows silos as they join and leave) when one is configured, else the local silo's gateway port.
    /// </summary>
    /// <param name="client">The client to configure.</param>
    /// <param name="options">The validated client options.</param>
    /// <param name="credential">For a <see cref="AzureTableGatewayOptions.ServiceUri"/>: default, the managed identity named by <see cref="AzureTableGatewayOptions.ManagedIdentityClientId"/>, else the default Azure credential chain.</param>
    public static IClientBuilder UseVizierClusterWithAzureTables(this IClientBuilder client, VizierClientOptions options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Gateways.Count > 0 || options.AzureTables is not { IsConfigured: true } tables)
        {
            return client.UseVizierCluster(options);
        }

        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });

        // Options are read when the client starts, after the host's start-up validation has named a bad setting.
        return client.UseAzureStorageClustering(o => AzureTableServiceClients.Configure(
            o, tables.ConnectionString, tables.ServiceUri, tables.ManagedIdentityClientId, tables.TableName, credential));
    }
}
