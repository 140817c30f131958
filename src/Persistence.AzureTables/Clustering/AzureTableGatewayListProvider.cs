using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;

namespace VizierOrleans.Persistence.AzureTables.Clustering;

/// <summary>Clients find the gateways of ACTIVE silos in the membership table.</summary>
internal sealed class AzureTableGatewayListProvider(
    IOptions<AzureTableClusteringOptions> options,
    IOptions<ClusterOptions> cluster,
    IOptions<GatewayOptions> gateways) : IGatewayListProvider
{
    private readonly TableClient _table = options.Value.CreateTableClient();
    private readonly string _partition = TableKeys.Escape(cluster.Value.ClusterId);

    /// <inheritdoc />
    public TimeSpan MaxStaleness => gateways.Value.GatewayListRefreshPeriod;

    /// <inheritdoc />
    public bool IsUpdatable => true;

    /// <inheritdoc />
    public async Task InitializeGatewayListProvider()
    {
        options.Value.Validate("Gateway list");
        await _table.CreateIfNotExistsAsync();
    }

    /// <inheritdoc />
    public async Task<IList<Uri>> GetGateways()
    {
        var result = new List<Uri>();
        await foreach (var row in _table.QueryAsync<TableEntity>(r => r.PartitionKey == _partition))
        {
            if (row.RowKey == MembershipRow.VersionRowKey)
            {
                continue;
            }

            var entry = MembershipRow.FromEntity(row);
            if (entry.Status == SiloStatus.Active && entry.ProxyPort > 0)
            {
                result.Add(SiloAddress.New(new IPEndPoint(entry.SiloAddress.Endpoint.Address, entry.ProxyPort), entry.SiloAddress.Generation).ToGatewayUri());
            }
        }

        return result;
    }
}
