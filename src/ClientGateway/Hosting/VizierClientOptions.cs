using System.ComponentModel.DataAnnotations;

namespace VizierOrleans.ClientGateway.Hosting;

/// <summary>How a worker process finds the Vizier cluster.</summary>
public sealed class VizierClientOptions : IValidatableObject
{
    /// <summary>The configuration section (<c>Vizier__ClusterId</c> and so on in environment variables).</summary>
    public const string Section = "Vizier";

    /// <summary>The cluster id; must equal the silos'.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Vizier:ClusterId must not be empty.")]
    public string ClusterId { get; set; } = "vizier-local";

    /// <summary>The service id; must equal the silos'.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Vizier:ServiceId must not be empty.")]
    public string ServiceId { get; set; } = "vizier";

    /// <summary>
    /// Gateway endpoints as <c>host:port</c>. Empty (and no Azure table configured): the local silo's gateway,
    /// <c>127.0.0.1:30000</c>.
    /// </summary>
    public List<string> Gateways { get; set; } = [];

    /// <summary>Default gateway port for the local case.</summary>
    [Range(1, 65535, ErrorMessage = "Vizier:GatewayPort must be a TCP port (1-65535).")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// When set (and <see cref="Gateways"/> is empty), the client finds the gateways of active silos in the Azure
    /// membership table, so it follows silos as they come and go.
    /// </summary>
    public AzureTableGatewayOptions? AzureTables { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Gateways.Count; i++)
        {
            if (!VizierClientHost.IsEndpoint(Gateways[i]))
            {
                yield return new ValidationResult($"Vizier:Gateways:{i} '{Gateways[i]}' is not host:port.", [nameof(Gateways)]);
            }
        }

        if (AzureTables is not null)
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
