namespace VizierOrleans.Grains.Interfaces.Events;

/// <summary>
/// Where study events travel: one Orleans stream provider and one stream for the whole cluster, so that a reader
/// (the dashboard on any silo or front door) sees every study's changes with one subscription.
/// </summary>
public static class StudyEventStreams
{
    /// <summary>The name of the stream provider silos and clients register.</summary>
    public const string Provider = "vizier-events";

    /// <summary>The stream namespace.</summary>
    public const string Namespace = "vizier.study-events";

    /// <summary>The key of the one stream every study publishes to.</summary>
    public const string Key = "all";
}
