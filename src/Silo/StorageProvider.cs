namespace VizierOrleans.Silo;

/// <summary>Where grain state lives (<c>Vizier:Storage</c>).</summary>
public enum StorageProvider
{
    /// <summary>Azure Table Storage (Azurite locally).</summary>
    AzureTable,

    /// <summary>In memory: lost on restart; for demos and tests.</summary>
    Memory,
}
