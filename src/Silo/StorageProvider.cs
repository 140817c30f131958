namespace VizierOrleans.Silo;

/// <summary>Where grain state lives (<c>Vizier:Storage</c>).</summary>
public enum StorageProvider
{
    /// <summary>Azure Table Storage (Azurite locally), this project's provider (<c>src/Persistence.AzureTables</c>).</summary>
    AzureTable,

    /// <summary>Azure Table Storage through Orleans' own provider (<c>Microsoft.Orleans.Persistence.AzureStorage</c>).</summary>
    OrleansAzureTable,

    /// <summary>In memory: lost on restart; for demos and tests.</summary>
    Memory,
}
