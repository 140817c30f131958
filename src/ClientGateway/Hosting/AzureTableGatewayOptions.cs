using System.ComponentModel.DataAnnotations;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Orleans.Clustering.AzureStorage;

namespace VizierOrleans.ClientGateway.Hosting;

/// <summary>
/// Where a client finds the cluster's membership table (Orleans' Azure Table clustering), bound from
/// <c>Vizier:AzureTables</c>: a connection string, or a table endpoint with a managed identity.
/// </summary>
public sealed class AzureTableGatewayOptions : IValidatableObject
{
    /// <summary>A connection string; Azurite's is <c>UseDevelopmentStorage=true</c> (or one with an explicit TableEndpoint).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table service endpoint, for example <c>https://account.table.core.windows.net/</c>; used when there is no connection string.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The credential for <see cref="ServiceUri"/>; default: a managed identity (<see cref="ManagedIdentityClientId"/>) or the default Azure credential chain.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>Client id of a user-assigned managed identity.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The membership table's name (the silos' <c>Vizier:AzureTables:MembershipTable</c>).</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Vizier:AzureTables:TableName must be 3-63 letters or digits, starting with a letter.")]
    public string TableName { get; set; } = "VizierMembership";

    /// <summary>True when a connection string or an endpoint is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || ServiceUri is not null;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ServiceUri is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult($"Vizier:AzureTables:ServiceUri '{ServiceUri}' is not an absolute URI.", [nameof(ServiceUri)]);
        }
    }

    /// <summary>
    /// Points Orleans' Azure Table options at this table: the connection string, else the endpoint with
    /// <see cref="Credential"/>, a user-assigned managed identity or the default credential chain. Storage requests
    /// fail within seconds instead of retrying for minutes, so a silo or client notices an outage quickly.
    /// </summary>
    public static void Configure(AzureStorageOperationOptions options, string? connectionString, Uri? serviceUri, string? managedIdentityClientId, TokenCredential? credential, string tableName)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TableName = tableName;
        options.TableServiceClient = CreateServiceClient(connectionString, serviceUri, managedIdentityClientId, credential);
    }

    /// <summary>
    /// A table service client for the connection string, else the endpoint with <paramref name="credential"/>, a
    /// user-assigned managed identity or the default credential chain. Requests fail within seconds instead of retrying
    /// for minutes, so a silo or client notices an outage quickly.
    /// </summary>
    public static TableServiceClient CreateServiceClient(string? connectionString, Uri? serviceUri, string? managedIdentityClientId, TokenCredential? credential)
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

    /// <summary>Points Orleans' Azure Table options at this table.</summary>
    public void ApplyTo(AzureStorageOperationOptions options) =>
        Configure(options, ConnectionString, ServiceUri, ManagedIdentityClientId, Credential, TableName);
}
