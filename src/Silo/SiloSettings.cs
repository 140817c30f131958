using VizierOrleans.Grpc;
using VizierOrleans.Persistence.AzureTables;

namespace VizierOrleans.Silo;

/// <summary>
/// Everything the silo reads from configuration, bound from the "Vizier" section of appsettings.json and
/// environment variables (<c>Vizier__ClusterId</c>, <c>Vizier__AzureTables__ConnectionString</c>, ...).
/// </summary>
internal sealed class SiloSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Vizier";

    /// <summary>Orleans cluster id: silos with the same one form one cluster.</summary>
    public string ClusterId { get; set; } = "vizier-local";

    /// <summary>Orleans service id: stable across deployments; keys the stored grain state.</summary>
    public string ServiceId { get; set; } = "vizier";

    /// <summary>"Localhost" (single machine, development) or "AzureTable".</summary>
    public string Clustering { get; set; } = "AzureTable";

    /// <summary>"Memory" (tests, demos) or "AzureTable".</summary>
    public string Storage { get; set; } = "AzureTable";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The IP address other silos and clients use to reach this silo (empty: this host's address).</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>Port of the HTTP endpoint that serves health probes (0: off).</summary>
    public int HealthPort { get; set; } = 8080;

    /// <summary>Azure Table Storage settings.</summary>
    public AzureTableSettings AzureTables { get; set; } = new();

    /// <summary>The gRPC front door every silo serves (OSS Vizier's protocol): port, TLS, API keys, limits.</summary>
    public GrpcFrontDoorOptions Grpc { get; set; } = new();
}

/// <summary>Where the Azure tables live and how to authenticate.</summary>
internal sealed class AzureTableSettings
{
    /// <summary>A connection string (Azurite: <c>UseDevelopmentStorage=true</c>); takes precedence over <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>The table service endpoint, used with managed identity when there is no connection string.</summary>
    public string? ServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity (empty: the default Azure credential chain).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The table for grain state.</summary>
    public string GrainStateTable { get; set; } = "VizierGrainState";

    /// <summary>The table for cluster membership and the gateway list.</summary>
    public string MembershipTable { get; set; } = "VizierMembership";

    /// <summary>Copies the connection settings into provider options for <paramref name="table"/>.</summary>
    public void ApplyTo(AzureTableConnectionOptions options, string table)
    {
        options.ConnectionString = string.IsNullOrWhiteSpace(ConnectionString) ? null : ConnectionString;
        options.ServiceUri = string.IsNullOrWhiteSpace(ServiceUri) ? null : new Uri(ServiceUri);
        options.ManagedIdentityClientId = string.IsNullOrWhiteSpace(ManagedIdentityClientId) ? null : ManagedIdentityClientId;
        options.TableName = table;
    }
}
