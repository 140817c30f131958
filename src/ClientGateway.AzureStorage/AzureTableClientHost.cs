using VizierOrleans.ClientGateway.Hosting;

namespace VizierOrleans.ClientGateway.AzureStorage;

/// <summary>
/// <see cref="VizierClientHost.ConnectAsync"/> with the Azure Table gateway list: a worker process that finds the
/// cluster through the membership table when <c>Vizier:AzureTables</c> is configured, else through its listed or local
/// gateways.
/// </summary>
public static class AzureTableClientHost
{
    /// <summary>
    /// Connects with options read from configuration (appsettings.json, then <c>Vizier__*</c> environment variables,
    /// for example <c>Vizier__AzureTables__ConnectionString</c> or <c>Vizier__AzureTables__ServiceUri</c> with
    /// <c>Vizier__AzureTables__ManagedIdentityClientId</c>), then changed by <paramref name="configure"/>.
    /// </summary>
    public static Task<VizierClientHost> ConnectAsync(Action<VizierClientOptions>? configure = null, CancellationToken cancellationToken = default) =>
        VizierClientHost.ConnectAsync(configure, (client, options) => client.UseVizierClusterWithAzureTables(options), cancellationToken);
}
