namespace VizierOrleans.Grains.State;

/// <summary>The owner grain's root row: how many summary pages it has written (the pages are rows of their own).</summary>
[GenerateSerializer, Alias("vizier.OwnerRecord")]
internal sealed class OwnerRecord
{
    /// <summary>
    /// Study ids, as stored before owners kept summaries; each is asked for its summary on the first listing, then
    /// this set is emptied.
    /// </summary>
    [Id(0)] public SortedSet<string> StudyIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pages 0 to <c>PageCount - 1</c> may exist; a page is counted here before it is first written.</summary>
    [Id(1)] public int PageCount { get; set; }
}
