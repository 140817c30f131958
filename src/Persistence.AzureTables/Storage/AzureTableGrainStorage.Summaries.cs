using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using VizierOrleans.Grains.Storage;

namespace VizierOrleans.Persistence.AzureTables.Storage;

/// <summary>
/// Summary rows (<see cref="IPartitionSummaryStore"/>): encoded as grain states are (JSON split over 64 KiB properties,
/// gzip when large, refused above one entity before any I/O), under RowKeys that start with <c>$summary|</c>, which no
/// grain type's rows do. An invalidated row is kept as a tombstone without a payload, so that a conditional write
/// based on a read before the invalidation fails on its ETag even when the row had not existed.
/// </summary>
internal sealed partial class AzureTableGrainStorage : IPartitionSummaryStore
{
    private const string SummaryPrefix = "$summary|";
    private const string InvalidatedProperty = "Invalidated";

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredSummary<T>> ReadAllAsync<T>(string partitionGroup, string keyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        var partition = Partition(partitionGroup);
        var prefix = TableKeys.Escape(SummaryPrefix + keyPrefix);
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {end}");
        var pages = _table.QueryAsync<TableEntity>(filter, MaxPageSize, cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await pages.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (Exception e) when (IsStorageFailure(e))
                {
                    LogRangeFailure(logger, e, partitionGroup, (e as RequestFailedException)?.Status ?? 0);
                    throw new TableStorageException($"Azure Table storage failed reading the summaries in partition {partitionGroup}: {e.Message.Split('\n')[0]}");
                }

                foreach (var entity in pages.Current.Values)
                {
                    yield return Summary<T>(entity);
                }
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async Task<StoredSummary<T>?> ReadAsync<T>(string partitionGroup, string key, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(partitionGroup), SummaryRow(key), cancellationToken: cancellationToken);
            return response.HasValue && response.Value is { } entity ? Summary<T>(entity) : null;
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw SummaryFailure("reading", partitionGroup, key, e);
        }
    }

    /// <inheritdoc />
    public async Task<string?> TryWriteAsync<T>(string partitionGroup, string key, T state, string? etag, CancellationToken cancellationToken)
        where T : class
    {
        var bytes = options.GrainStorageSerializer.Serialize(state).ToArray();
        var properties = StatePayload.Encode(bytes, $"summary {key} of {partitionGroup}");
        var entity = new TableEntity(properties) { PartitionKey = Partition(partitionGroup), RowKey = SummaryRow(key) };
        try
        {
            var response = etag is null
                ? await _table.AddEntityAsync(entity, cancellationToken)
                : await _table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException e) when (IsConflict(e))
        {
            return null;
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw SummaryFailure("writing", partitionGroup, key, e);
        }
    }

    /// <inheritdoc />
    public async Task InvalidateAsync(string partitionGroup, string key, CancellationToken cancellationToken)
    {
        var tombstone = new TableEntity(Partition(partitionGroup), SummaryRow(key)) { [InvalidatedProperty] = true };
        try
        {
            await _table.UpsertEntityAsync(tombstone, TableUpdateMode.Replace, cancellationToken);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw SummaryFailure("invalidating", partitionGroup, key, e);
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string partitionGroup, string key, CancellationToken cancellationToken)
    {
        try
        {
            // The SDK reports a missing row as a 404 response, which is what this wants.
            await _table.DeleteEntityAsync(Partition(partitionGroup), SummaryRow(key), ETag.All, cancellationToken);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw SummaryFailure("deleting", partitionGroup, key, e);
        }
    }

    private static string SummaryRow(string key) => TableKeys.Escape(SummaryPrefix + key);

    private StoredSummary<T> Summary<T>(TableEntity entity)
        where T : class
    {
        var key = TableKeys.Unescape(entity.RowKey)[SummaryPrefix.Length..];
        var state = entity.ContainsKey(StatePayload.LengthProperty)
            ? options.GrainStorageSerializer.Deserialize<T>(new BinaryData(StatePayload.Decode(entity)))
            : null;
        return new StoredSummary<T>(key, state, entity.ETag.ToString());
    }

    private TableStorageException SummaryFailure(string operation, string partitionGroup, string key, Exception e)
    {
        LogRangeFailure(logger, e, partitionGroup, (e as RequestFailedException)?.Status ?? 0);
        return new TableStorageException($"Azure Table storage failed {operation} the summary {key} in partition {partitionGroup}: {e.Message.Split('\n')[0]}");
    }
}
