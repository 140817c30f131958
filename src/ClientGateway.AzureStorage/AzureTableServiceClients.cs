using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Orleans.Clustering.AzureStorage;

namespace VizierOrleans.ClientGateway.AzureStorage;

/// <summary>
/// Table service clients for Orleans' Azure Table providers (the clients' gateway list, the silos' membership and
/// Orleans' grain storage): from a connection string, or from a table endpoint with a managed identity.
/// </summary>
public static class AzureTableServiceClients
{
    /// <summary>
    /// A table service client for the connection string, else the endpoint with <paramref name="credential"/>, a
    /// user-assigned managed identity or the default credential chain. Requests fail within seconds instead of retrying
    /// for minutes, so a silo or client notices an outage quickly.
    /// </summary>
    public static TableServiceClient Create(string? connectionString, Uri? serviceUri, string? managedIdentityClientId, TokenCredential? credential = null)
    {
        var client = new TableClientOptions();
        client.Retry.MaxRetries = 2;
        client.Retry.Delay = TimeSpan.FromMilliseconds(200);
        client.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        client.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new TableServiceClient(connectionString, client);
        }

        var uri = serviceUri ?? throw new InvalidOperationException("Vizier:AzureTables: set a ConnectionString (Azurite: UseDevelopmentStorage=true) or a ServiceUri with a managed identity.");
        return new TableServiceClient(uri, credential ?? (string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId))), client);
    }

    /// <summary>Points Orleans' Azure Table clustering options at <paramref name="tableName"/> through <see cref="Create"/>'s client.</summary>
    public static void Configure(AzureStorageOperationOptions options, string? connectionString, Uri? serviceUri, string? managedIdentityClientId, string tableName, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TableName = tableName;
        options.TableServiceClient = Create(connectionString, serviceUri, managedIdentityClientId, credential);
    }
}
