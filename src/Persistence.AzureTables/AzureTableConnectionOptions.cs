using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace VizierOrleans.Persistence.AzureTables;

/// <summary>Where an Azure table lives and how to authenticate: a connection string, or an endpoint and a credential.</summary>
public class AzureTableConnectionOptions
{
    /// <summary>A connection string; Azurite's is <c>UseDevelopmentStorage=true</c> (or one with an explicit TableEndpoint).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table service endpoint, for example <c>https://account.table.core.windows.net/</c>; used when there is no connection string.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The credential for <see cref="ServiceUri"/>; default: a managed identity (<see cref="ManagedIdentityClientId"/>) or the default Azure credential chain.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>Client id of a user-assigned managed identity.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The table's name.</summary>
    public string TableName { get; set; } = "";

    /// <summary>How long one storage request may take before it fails (Azure's own retries included).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws with a clear message when the options cannot work.</summary>
    public void Validate(string what)
    {
        if (Problem(what) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
    }

    /// <summary>Why the options cannot work, naming <paramref name="what"/> and the setting; null when they can.</summary>
    public string? Problem(string what)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && ServiceUri is null)
        {
            return $"{what}: set a ConnectionString (Azurite: UseDevelopmentStorage=true) or a ServiceUri with a managed identity.";
        }

        if (string.IsNullOrWhiteSpace(TableName) || TableName.Length is < 3 or > 63 || !char.IsLetter(TableName[0]) || !TableName.All(char.IsAsciiLetterOrDigit))
        {
            return $"{what}: TableName '{TableName}' must be 3-63 letters or digits, starting with a letter.";
        }

        return RequestTimeout <= TimeSpan.Zero ? $"{what}: RequestTimeout must be positive, not {RequestTimeout}." : null;
    }

    /// <summary>A client for the table (the table itself is created on start-up).</summary>
    public TableClient CreateTableClient()
    {
        var clientOptions = new TableClientOptions();

        // Fail within the Orleans call timeout instead of retrying for minutes when storage is down.
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        clientOptions.Retry.NetworkTimeout = RequestTimeout;
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return new TableServiceClient(ConnectionString, clientOptions).GetTableClient(TableName);
        }

        var credential = Credential ?? (string.IsNullOrWhiteSpace(ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(ManagedIdentityClientId)));
        return new TableServiceClient(ServiceUri!, credential, clientOptions).GetTableClient(TableName);
    }
}
