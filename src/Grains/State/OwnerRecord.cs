namespace VizierOrleans.Grains.State;

/// <summary>The owner grain's stored state: the ids of the owner's studies.</summary>
[GenerateSerializer, Alias("vizier.OwnerRecord")]
internal sealed class OwnerRecord
{
    /// <summary>Study ids, sorted.</summary>
    [Id(0)] public SortedSet<string> StudyIds { get; set; } = new(StringComparer.Ordinal);
}
