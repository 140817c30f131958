namespace VizierOrleans.Grains.Hosting;

/// <summary>Limits of the owner grains, bound from the silo's <c>Vizier:Owner</c> section and validated at start.</summary>
public sealed class OwnerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Vizier:Owner";

    /// <summary>The largest page a budget may allow: uncompressed, it still fits one Azure table entity (1 MiB).</summary>
    public const int MaxPageBytes = 960 * 1024;

    /// <summary>
    /// The JSON size of one page of study summaries, at most. An owner's summaries are split across rows of this size,
    /// so the listing of an owner of any number of studies stays within Azure's 1 MiB entity limit.
    /// </summary>
    public int PageBytes { get; set; } = 512 * 1024;

    /// <summary>The first broken rule, or null.</summary>
    public string? Problem() =>
        PageBytes is < 4096 or > MaxPageBytes ? $"Vizier:Owner:PageBytes must be between 4096 and {MaxPageBytes}, was {PageBytes}." : null;
}
