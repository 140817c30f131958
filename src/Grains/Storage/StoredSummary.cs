namespace VizierOrleans.Grains.Storage;

/// <summary>A summary row as stored: its key, its state (null when it was invalidated) and its ETag.</summary>
/// <typeparam name="T">The summary's type.</typeparam>
/// <param name="Key">The row's key within its partition group.</param>
/// <param name="State">The summary, or null for an invalidated row.</param>
/// <param name="ETag">The row's ETag, for a conditional write.</param>
public sealed record StoredSummary<T>(string Key, T? State, string ETag)
    where T : class;
