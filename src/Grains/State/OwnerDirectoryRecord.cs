namespace VizierOrleans.Grains.State;

/// <summary>The owner directory's stored state: the owners that have studies.</summary>
[GenerateSerializer, Alias("vizier.OwnerDirectoryRecord")]
public sealed class OwnerDirectoryRecord
{
    /// <summary>Owner ids, sorted.</summary>
    [Id(0)] public SortedSet<string> Owners { get; set; } = new(StringComparer.Ordinal);
}
