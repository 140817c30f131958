namespace VizierOrleans.Grains.State;

/// <summary>One page of an owner's study summaries: a row of its own, kept below the owner's page budget.</summary>
[GenerateSerializer, Alias("vizier.OwnerPageRecord")]
internal sealed class OwnerPageRecord
{
    /// <summary>The entries of this page by study id.</summary>
    [Id(0)] public Dictionary<string, OwnerEntry> Studies { get; set; } = new(StringComparer.Ordinal);
}
