using System.ComponentModel.DataAnnotations;
using System.Net;
using VizierOrleans.Grpc;
using VizierOrleans.Persistence.AzureTables;

namespace VizierOrleans.Silo;

/// <summary>
/// Everything the silo reads from configuration, bound from the "Vizier" section of appsettings.json and
/// environment variables (<c>Vizier__ClusterId</c>, <c>Vizier__AzureTables__ConnectionString</c>, ...), and validated
/// when the host starts: a bad setting stops the silo with a message naming it.
/// </summary>
internal sealed class SiloSettings : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Vizier";

    /// <summary>Orleans cluster id: silos with the same one form one cluster.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Vizier:ClusterId must not be empty.")]
    public string ClusterId { get; set; } = "vizier-local";

    /// <summary>Orleans service id: stable across deployments; keys the stored grain state.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Vizier:ServiceId must not be empty.")]
    public string ServiceId { get; set; } = "vizier";

    /// <summary>How silos find each other.</summary>
    public ClusteringProvider Clustering { get; set; } = ClusteringProvider.AzureTable;

    /// <summary>Where grain state lives.</summary>
    public StorageProvider Storage { get; set; } = StorageProvider.AzureTable;

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535, ErrorMessage = "Vizier:SiloPort must be a TCP port (1-65535).")]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    [Range(1, 65535, ErrorMessage = "Vizier:GatewayPort must be a TCP port (1-65535).")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The IP address other silos and clients use to reach this silo (empty: this host's address).</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>Port of the HTTP endpoint that serves health probes (0: off).</summary>
    [Range(0, 65535, ErrorMessage = "Vizier:HealthPort must be 0 (off) or a TCP port.")]
    public int HealthPort { get; set; } = 8080;

    /// <summary>
    /// How long a stopping silo may take to hand its grains over before the process exits, even when storage is gone.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Vizier:ShutdownTimeout must be between 1 s and 10 min.")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Azure Table Storage settings.</summary>
    public AzureTableSettings AzureTables { get; set; } = new();

    /// <summary>The gRPC front door every silo serves (OSS Vizier's protocol): port, TLS, API keys, limits.</summary>
    public GrpcFrontDoorOptions Grpc { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(AdvertisedIPAddress) && !IPAddress.TryParse(AdvertisedIPAddress, out _))
        {
            yield return new ValidationResult($"Vizier:AdvertisedIPAddress '{AdvertisedIPAddress}' is not an IP address.", [nameof(AdvertisedIPAddress)]);
        }

        if (Clustering == ClusteringProvider.AzureTable || Storage is StorageProvider.AzureTable or StorageProvider.OrleansAzureTable)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(AzureTables, new ValidationContext(AzureTables), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return result;
            }
        }
    }
}

/// <summary>Where the Azure tables live and how to authenticate.</summary>
internal sealed class AzureTableSettings : IValidatableObject
{
    private const string TableNamePattern = "^[A-Za-z][A-Za-z0-9]{2,62}$";

    /// <summary>A connection string (Azurite: <c>UseDevelopmentStorage=true</c>); takes precedence over <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>The table service endpoint, used with managed identity when there is no connection string.</summary>
    public string? ServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity (empty: the default Azure credential chain).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The table for grain state.</summary>
    [RegularExpression(TableNamePattern, ErrorMessage = "Vizier:AzureTables:GrainStateTable must be 3-63 letters or digits, starting with a letter.")]
    public string GrainStateTable { get; set; } = "VizierGrainState";

    /// <summary>The table for cluster membership and the gateway list.</summary>
    [RegularExpression(TableNamePattern, ErrorMessage = "Vizier:AzureTables:MembershipTable must be 3-63 letters or digits, starting with a letter.")]
    public string MembershipTable { get; set; } = "VizierMembership";

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            if (string.IsNullOrWhiteSpace(ServiceUri))
            {
                yield return new ValidationResult(
                    "Vizier:AzureTables:ConnectionString or Vizier:AzureTables:ServiceUri must be set (Azurite: UseDevelopmentStorage=true).",
                    [nameof(ConnectionString), nameof(ServiceUri)]);
            }
            else if (!Uri.TryCreate(ServiceUri, UriKind.Absolute, out _))
            {
                yield return new ValidationResult($"Vizier:AzureTables:ServiceUri '{ServiceUri}' is not an absolute URI.", [nameof(ServiceUri)]);
            }
        }
    }

    /// <summary>Copies the connection settings into provider options for <paramref name="table"/>.</summary>
    public void ApplyTo(AzureTableConnectionOptions options, string table)
    {
        options.ConnectionString = string.IsNullOrWhiteSpace(ConnectionString) ? null : ConnectionString;
        options.ServiceUri = string.IsNullOrWhiteSpace(ServiceUri) ? null : new Uri(ServiceUri);
        options.ManagedIdentityClientId = string.IsNullOrWhiteSpace(ManagedIdentityClientId) ? null : ManagedIdentityClientId;
        options.TableName = table;
    }
}
