using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Storage;
using VizierOrleans.Grains.Storage;

namespace VizierOrleans.Persistence.AzureTables.Storage;

/// <summary>
/// Orleans grain storage on Azure Table Storage. One row per grain state, with optimistic concurrency on the row's
/// ETag: a grain with no ETag inserts (and fails if a row exists), otherwise it replaces If-Match; a conflict is an
/// <see cref="InconsistentStateException"/>, never a silent overwrite. State goes through the options'
/// <see cref="IGrainStorageSerializer"/> (by default JSON by property name), split across 64 KiB properties,
/// gzip-compressed when large.
/// Partitions follow the grains' <see cref="IStoragePartitionLayout"/> (one partition per grain type without one), so
/// the states of one partition group can share transactions and be read back with one range query
/// (<see cref="IGrainStatePartitionReader"/>).
/// </summary>
internal sealed partial class AzureTableGrainStorage(
    string name,
    AzureTableGrainStorageOptions options,
    ClusterOptions cluster,
    IStoragePartitionLayout? layout,
    ILogger<AzureTableGrainStorage> logger) : IGrainStorage, IGrainStatePartitionReader, ILifecycleParticipant<ISiloLifecycle>
{
    // Azure returns at most 1,000 entities per query page.
    private const int MaxPageSize = 1000;

    private readonly TableClient _table = options.CreateTableClient();
    private PartitionWriteBatcher? _batcher;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(OptionFormattingUtilities.Name<AzureTableGrainStorage>(name), ServiceLifecycleStage.ApplicationServices, InitializeAsync);

    /// <summary>Creates the table if needed.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        options.Validate($"Grain storage '{name}'");
        await _table.CreateIfNotExistsAsync(cancellationToken);
        _batcher = options.BatchWrites ? new PartitionWriteBatcher(_table) : null;
        LogInitialized(logger, name, options.TableName);
    }

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (partition, row) = Keys(stateName, grainId);
        NullableResponse<TableEntity> response;
        try
        {
            response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Failure("reading", grainId, e);
        }

        if (!response.HasValue || response.Value is not { } entity || !entity.ContainsKey(StatePayload.LengthProperty))
        {
            grainState.ETag = response.HasValue ? response.Value?.ETag.ToString() : null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = options.GrainStorageSerializer.Deserialize<T>(new BinaryData(StatePayload.Decode(entity)));
        grainState.ETag = entity.ETag.ToString();
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (partition, row) = Keys(stateName, grainId);
        var bytes = options.GrainStorageSerializer.Serialize(grainState.State).ToArray();
        var properties = StatePayload.Encode(bytes, $"{grainId} ({stateName})");
        var entity = new TableEntity(properties) { PartitionKey = partition, RowKey = row };
        var action = grainState.ETag is null
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(grainState.ETag));
        try
        {
            var stored = properties.Values.Sum(v => v is byte[] b ? b.Length : 16);
            var etag = _batcher is not null
                ? await _batcher.WriteAsync(action)
                : await WriteOneAsync(action);
            grainState.ETag = etag.ToString();
            grainState.RecordExists = true;
            StorageMetrics.Written(grainId, bytes.Length, stored);
        }
        catch (RequestFailedException e) when (IsConflict(e))
        {
            // A request that timed out may have been applied before the SDK retried it; the retry then fails its
            // If-Match. If the row holds exactly what we wrote, the write did happen: take its ETag.
            if (await StoredETagIfSameAsync(partition, row, properties) is { } applied)
            {
                grainState.ETag = applied;
                grainState.RecordExists = true;
                return;
            }

            throw Conflict(grainId, grainState.ETag, e);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Failure("writing", grainId, e);
        }
    }

    private async Task<string?> StoredETagIfSameAsync(string partition, string row, Dictionary<string, object> written)
    {
        try
        {
            var stored = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row);
            if (!stored.HasValue || stored.Value is not { } entity)
            {
                return null;
            }

            var same = written.All(kv => entity.TryGetValue(kv.Key, out var v) && (kv.Value is byte[] bytes
                ? v is byte[] other && bytes.AsSpan().SequenceEqual(other)
                : Equals(Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
            return same ? entity.ETag.ToString() : null;
        }
        catch (RequestFailedException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (partition, row) = Keys(stateName, grainId);
        try
        {
            if (grainState.ETag is not null)
            {
                if (options.DeleteStateOnClear)
                {
                    // The SDK reports a missing row as a 404 response rather than an exception.
                    var deleted = await _table.DeleteEntityAsync(partition, row, new ETag(grainState.ETag));
                    if (deleted.Status == 404)
                    {
                        throw new RequestFailedException(404, "The row was deleted by someone else.");
                    }

                    grainState.ETag = null;
                }
                else
                {
                    var empty = new TableEntity(partition, row);
                    var response = await _table.UpdateEntityAsync(empty, new ETag(grainState.ETag), TableUpdateMode.Replace);
                    grainState.ETag = response.Headers.ETag?.ToString();
                }
            }

            grainState.RecordExists = false;
        }
        catch (RequestFailedException e) when (IsConflict(e))
        {
            // Includes a row someone else deleted already: a stale clear must not pass silently either.
            throw Conflict(grainId, grainState.ETag, e);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Failure("clearing", grainId, e);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<(GrainId Grain, T State)> ReadPartitionAsync<T>(
        string partitionGroup, string stateName, GrainType grainType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Rows of one grain type and state name share a RowKey prefix ('|' is not escaped): a range of the partition.
        var partition = Partition(partitionGroup);
        var prefix = TableKeys.Escape($"{grainType}|{stateName}|");
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {end}");
        var pages = _table.QueryAsync<TableEntity>(filter, MaxPageSize, cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                Page<TableEntity> page;
                try
                {
                    if (!await pages.MoveNextAsync())
                    {
                        yield break;
                    }

                    page = pages.Current;
                }
                catch (Exception e) when (IsStorageFailure(e))
                {
                    LogRangeFailure(logger, e, partitionGroup, (e as RequestFailedException)?.Status ?? 0);
                    throw new TableStorageException($"Azure Table storage failed reading the states in partition {partitionGroup}: {e.Message.Split('\n')[0]}");
                }

                foreach (var entity in page.Values)
                {
                    if (entity.ContainsKey(StatePayload.LengthProperty))
                    {
                        var grain = GrainId.Create(grainType, TableKeys.Unescape(entity.RowKey)[(TableKeys.Unescape(prefix).Length)..]);
                        yield return (grain, options.GrainStorageSerializer.Deserialize<T>(new BinaryData(StatePayload.Decode(entity)))!);
                    }
                }
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }

    /// <summary>The partition and row of a grain's state.</summary>
    internal (string Partition, string Row) Keys(string stateName, GrainId grainId)
    {
        var group = layout?.PartitionOf(grainId) ?? grainId.Type.ToString()!;
        return (Partition(group), TableKeys.Escape($"{grainId.Type}|{stateName}|{grainId.Key}"));
    }

    private string Partition(string group) => TableKeys.Escape($"{cluster.ServiceId}|{group}");

    private async Task<ETag> WriteOneAsync(TableTransactionAction action)
    {
        var response = action.ActionType == TableTransactionActionType.Add
            ? await _table.AddEntityAsync(action.Entity)
            : await _table.UpdateEntityAsync(action.Entity, action.ETag, TableUpdateMode.Replace);
        return response.Headers.ETag ?? default;
    }

    private InconsistentStateException Conflict(GrainId grainId, string? etag, RequestFailedException e)
    {
        LogConflict(logger, grainId, etag, e.Status);
        return new InconsistentStateException(
            $"Stored state of {grainId} changed since it was read (ETag {etag ?? "none"}, status {e.Status}); nothing was written.",
            storedEtag: "unknown", currentEtag: etag ?? "none", e);
    }

    /// <summary>The row changed, appeared or vanished since it was read (a missing table is an outage, not a conflict).</summary>
    private static bool IsConflict(RequestFailedException e) =>
        e.Status is 409 or 412 || (e.Status == 404 && e.ErrorCode != "TableNotFound");

    private static bool IsStorageFailure(Exception e) =>
        e is RequestFailedException or AggregateException or IOException or HttpRequestException or TaskCanceledException;

    private TableStorageException Failure(string operation, GrainId grainId, Exception e)
    {
        var status = (e as RequestFailedException)?.Status ?? 0;
        LogFailure(logger, e, operation, grainId, status);
        var detail = e is RequestFailedException r ? $"{r.Status} {r.ErrorCode} {r.Message.Split('\n')[0]}" : $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
        return new TableStorageException($"Azure Table storage failed {operation} the state of {grainId}: {detail}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain storage '{Name}' uses table {Table}")]
    private static partial void LogInitialized(ILogger logger, string name, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ETag conflict on {GrainId} (ETag {ETag}, status {Status})")]
    private static partial void LogConflict(ILogger logger, GrainId grainId, string? etag, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Azure Table storage failed reading the states in partition {Partition} (status {Status})")]
    private static partial void LogRangeFailure(ILogger logger, Exception exception, string partition, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Azure Table storage failed {Operation} {GrainId} (status {Status})")]
    private static partial void LogFailure(ILogger logger, Exception exception, string operation, GrainId grainId, int status);
}
