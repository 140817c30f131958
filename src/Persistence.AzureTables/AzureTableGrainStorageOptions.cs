namespace VizierOrleans.Persistence.AzureTables;

/// <summary>Options of the Azure Table grain storage provider.</summary>
public sealed class AzureTableGrainStorageOptions : AzureTableConnectionOptions
{
    /// <summary>Creates the options with the default table name.</summary>
    public AzureTableGrainStorageOptions() => TableName = "VizierGrainState";

    /// <summary>Delete the row when a grain clears its state (otherwise an empty row stays).</summary>
    public bool DeleteStateOnClear { get; set; } = true;

    /// <summary>
    /// Combine concurrent writes to the same partition into one entity-group transaction (up to 100 rows). Azure
    /// caps a partition at 2,000 entities/s, and a transaction counts as one request, so this multiplies throughput.
    /// </summary>
    public bool BatchWrites { get; set; } = true;
}
