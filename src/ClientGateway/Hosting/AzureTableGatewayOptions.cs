using System.ComponentModel.DataAnnotations;

namespace VizierOrleans.ClientGateway.Hosting;

/// <summary>
/// Where a client finds the cluster's membership table (Orleans' Azure Table clustering), bound from
/// <c>Vizier:AzureTables</c>: a connection string, or a table endpoint with a managed identity. The settings only: the
/// gateway list that reads the table is in <c>VizierOrleans.ClientGateway.AzureStorage</c>
/// (<c>UseVizierClusterWithAzureTables</c>, <c>AzureTableClientHost</c>).
/// </summary>
public sealed class AzureTableGatewayOptions : IValidatableObject
{
    /// <summary>A connection string; Azurite's is <c>UseDevelopmentStorage=true</c> (or one with an explicit TableEndpoint).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table service endpoint, for example <c>https://account.table.core.windows.net/</c>; used when there is no connection string.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity (default: the default Azure credential chain).</summary>
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
}
