namespace VizierOrleans.Grains.Storage;

/// <summary>
/// Rows that summarize other grains' stored states (a study's sealed trial blocks), kept in a partition group beside
/// grain states and written with optimistic concurrency: a write names the ETag its writer read, so a write based on a
/// read older than the last change (<see cref="InvalidateAsync"/>) is refused. A grain storage provider that can keep
/// them registers this as a keyed service under its provider name; without it nothing is summarized.
/// </summary>
public interface IPartitionSummaryStore
{
    /// <summary>Every summary row of <paramref name="partitionGroup"/> whose key starts with <paramref name="keyPrefix"/>, invalidated ones included, in key order.</summary>
    IAsyncEnumerable<StoredSummary<T>> ReadAllAsync<T>(string partitionGroup, string keyPrefix, CancellationToken cancellationToken)
        where T : class;

    /// <summary>The summary row <paramref name="key"/>, or null when there is none.</summary>
    Task<StoredSummary<T>?> ReadAsync<T>(string partitionGroup, string key, CancellationToken cancellationToken)
        where T : class;

    /// <summary>
    /// Stores <paramref name="state"/> if the row is still as read: <paramref name="etag"/> null means it did not exist.
    /// Returns the new ETag, or null when the row changed since (refused, nothing written). A state larger than one row
    /// holds is refused before any I/O with an exception.
    /// </summary>
    Task<string?> TryWriteAsync<T>(string partitionGroup, string key, T state, string? etag, CancellationToken cancellationToken)
        where T : class;

    /// <summary>Marks the row invalid, whatever it holds and whether or not it exists, with a new ETag: writes based on earlier reads are refused.</summary>
    Task InvalidateAsync(string partitionGroup, string key, CancellationToken cancellationToken);

    /// <summary>Removes the row, if it exists.</summary>
    Task DeleteAsync(string partitionGroup, string key, CancellationToken cancellationToken);
}
