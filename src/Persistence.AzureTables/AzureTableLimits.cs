namespace VizierOrleans.Persistence.AzureTables;

/// <summary>
/// Azure Table Storage's limits. Azurite accepts more than Azure does, so the provider enforces these itself,
/// before any I/O.
/// </summary>
internal static class AzureTableLimits
{
    /// <summary>An entity holds at most 1 MiB, keys and property names included.</summary>
    public const int MaxEntityBytes = 1024 * 1024;

    /// <summary>An entity holds at most 255 properties, of which 3 are PartitionKey, RowKey and Timestamp.</summary>
    public const int MaxProperties = 252;

    /// <summary>A binary or string property holds at most 64 KiB.</summary>
    public const int MaxPropertyBytes = 64 * 1024;

    /// <summary>A transaction holds at most 100 operations.</summary>
    public const int MaxBatchOperations = 100;

    /// <summary>A transaction's request is at most 4 MiB, counted as sent: binary properties base64-encoded (<see cref="Storage.TransactionSize"/>).</summary>
    public const int MaxBatchBytes = 4 * 1024 * 1024;

    /// <summary>PartitionKey and RowKey are at most 1 KiB each (512 UTF-16 characters).</summary>
    public const int MaxKeyChars = 512;
}
