using VizierOrleans.Persistence.AzureTables;

namespace VizierOrleans.ClientGateway.Hosting;

/// <summary>How a worker process finds the Vizier cluster.</summary>
public sealed class VizierClientOptions
{
    /// <summary>The configuration section (<c>Vizier__ClusterId</c> and so on in environment variables).</summary>
    public const string Section = "Vizier";

    /// <summary>The cluster id; must equal the silos'.</summary>
    public string ClusterId { get; set; } = "vizier-local";

    /// <summary>The service id; must equal the silos'.</summary>
    public string ServiceId { get; set; } = "vizier";

    /// <summary>
    /// Gateway endpoints as <c>host:port</c>. Empty (and no Azure table configured): the local silo's gateway,
    /// <c>127.0.0.1:30000</c>.
    /// </summary>
    public List<string> Gateways { get; set; } = [];

    /// <summary>Default gateway port for the local case.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// When set (and <see cref="Gateways"/> is empty), the client finds the gateways of active silos in the Azure
    /// membership table, so it follows silos as they come and go.
    /// </summary>
    public AzureTableClusteringOptions? AzureTables { get; set; }
}
