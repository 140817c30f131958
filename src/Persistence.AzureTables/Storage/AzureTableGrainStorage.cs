using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Storage;

namespace VizierOrleans.Persistence.AzureTables.Storage;

/// <summary>
/// Orleans grain storage on Azure Table Storage. One row per grain state, with optimistic concurrency on the row's
/// ETag: a grain with no ETag inserts (and fails if a row exists), otherwise it replaces If-Match; a conflict is an
/// <see cref="InconsistentStateException"/>, never a silent overwrite. State goes through the options'
/// <see cref="IGrainStorageSerializer"/> (by default JSON by property name), split across 64 KiB properties,
/// gzip-compressed when large.
/// Grains keyed <c>owners/{o}/studies/{s}[/...]</c> share the study's partition, so their writes can share transactions.
/// </summary>
internal sealed partial class AzureTableGrainStorage(
    string name,
    AzureTableGrainStorageOptions options,
    ClusterOptions cluster,
    ILogger<AzureTableGrainStorage> logger) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
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
            var etag = _batcher is not null
                ? await _batcher.WriteAsync(action)
                : await WriteOneAsync(action);
            grainState.ETag = etag.ToString();
            grainState.RecordExists = true;
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

    /// <summary>The partition and row of a grain's state.</summary>
    internal (string Partition, string Row) Keys(string stateName, GrainId grainId)
    {
        var key = grainId.Key.ToString()!;
        var type = grainId.Type.ToString()!;

        // A study's trials share partitions by blocks of consecutive ids, so the writes of one busy study batch
        // together, while no partition grows past a block: Azure caps a partition near 2,000 entities/s, and Azurite
        // gets slower as a partition grows.
        var parts = key.Split('/');
        var group = type;
        if (parts.Length >= 4 && parts[0] == "owners" && parts[2] == "studies")
        {
            var study = string.Join('/', parts.Take(4));
            group = parts.Length == 6 && parts[4] == "trials" && long.TryParse(parts[5], out var id)
                ? $"{study}|{(id - 1) / options.TrialsPerPartition}"
                : study;
        }

        return (TableKeys.Escape($"{cluster.ServiceId}|{group}"), TableKeys.Escape($"{type}|{stateName}|{key}"));
    }

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

    [LoggerMessage(Level = LogLevel.Error, Message = "Azure Table storage failed {Operation} {GrainId} (status {Status})")]
    private static partial void LogFailure(ILogger logger, Exception exception, string operation, GrainId grainId, int status);
}
