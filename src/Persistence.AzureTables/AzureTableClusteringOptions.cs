namespace VizierOrleans.Persistence.AzureTables;

/// <summary>Options of the Azure Table membership table and gateway list provider.</summary>
public sealed class AzureTableClusteringOptions : AzureTableConnectionOptions
{
    /// <summary>Creates the options with the default table name.</summary>
    public AzureTableClusteringOptions() => TableName = "VizierMembership";
}
