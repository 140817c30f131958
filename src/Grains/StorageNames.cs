namespace VizierOrleans.Grains;

/// <summary>The grain storage provider name every Vizier grain uses; the silo binds it to memory or Azure Tables.</summary>
public static class StorageNames
{
    /// <summary>The provider name.</summary>
    public const string Vizier = "vizier";
}
