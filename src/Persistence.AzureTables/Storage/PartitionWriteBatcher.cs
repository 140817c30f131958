using Azure;
using Azure.Data.Tables;

namespace VizierOrleans.Persistence.AzureTables.Storage;

/// <summary>
/// Group commit per partition: while one transaction for a partition is in flight, writes to that partition queue up,
/// and the next transaction takes up to 100 of them at once. A study and its trials share a partition, so the many
/// small writes of one busy study become a few transactions. Only writes whose rows differ share a transaction.
/// </summary>
internal sealed class PartitionWriteBatcher(TableClient table)
{
    private readonly Dictionary<string, PartitionQueue> _partitions = [];

    /// <summary>Applies the write (alone or in a transaction with others) and returns the row's new ETag.</summary>
    public Task<ETag> WriteAsync(TableTransactionAction action)
    {
        var pending = new PendingWrite(action, TransactionSize.Of(action.Entity));
        PartitionQueue queue;
        var start = false;
        lock (_partitions)
        {
            var partition = action.Entity.PartitionKey;
            if (!_partitions.TryGetValue(partition, out queue!))
            {
                _partitions[partition] = queue = new PartitionQueue(partition);
            }

            queue.Writes.Add(pending);
            if (!queue.Flushing)
            {
                queue.Flushing = start = true;
            }
        }

        if (start)
        {
            _ = Task.Run(() => FlushAsync(queue));
        }

        return pending.Completion.Task;
    }

    private async Task FlushAsync(PartitionQueue queue)
    {
        while (true)
        {
            List<PendingWrite> batch;
            lock (_partitions)
            {
                if (queue.Writes.Count == 0)
                {
                    queue.Flushing = false;
                    _partitions.Remove(queue.Partition);
                    return;
                }

                batch = TakeBatch(queue.Writes);
            }

            await SubmitAsync(batch, queue);
        }
    }

    /// <summary>
    /// Takes the next transaction's writes out of <paramref name="writes"/>: at most 100, distinct rows, and at most
    /// 4 MiB of encoded request (<see cref="TransactionSize"/>); a write too large to share goes alone.
    /// </summary>
    internal static List<PendingWrite> TakeBatch(List<PendingWrite> writes)
    {
        var batch = new List<PendingWrite>();
        var rows = new HashSet<string>(StringComparer.Ordinal);
        var bytes = TransactionSize.FramingBytes;
        for (var i = 0; i < writes.Count && batch.Count < AzureTableLimits.MaxBatchOperations; i++)
        {
            var w = writes[i];
            if (!rows.Add(w.Action.Entity.RowKey) || (batch.Count > 0 && bytes + w.Bytes > AzureTableLimits.MaxBatchBytes))
            {
                continue;
            }

            bytes += w.Bytes;
            batch.Add(w);
        }

        foreach (var w in batch)
        {
            writes.Remove(w);
        }

        return batch;
    }

    private async Task SubmitAsync(List<PendingWrite> batch, PartitionQueue queue)
    {
        if (batch.Count == 1)
        {
            await SubmitOneAsync(batch[0]);
            return;
        }

        StorageMetrics.Requested(table.Name, transaction: true);
        try
        {
            var response = await table.SubmitTransactionAsync(batch.Select(w => w.Action));
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(response.Value[i].Headers.ETag ?? default);
            }
        }
        catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is int failed && failed < batch.Count)
        {
            // Nothing of the transaction was applied: the failing write gets its error, the others go round again.
            batch[failed].Completion.TrySetException(e);
            lock (_partitions)
            {
                queue.Writes.InsertRange(0, batch.Where((_, i) => i != failed));
            }
        }
        catch (Exception e)
        {
            batch.ForEach(w => w.Completion.TrySetException(e));
        }
    }

    private async Task SubmitOneAsync(PendingWrite write)
    {
        StorageMetrics.Requested(table.Name, transaction: false);
        try
        {
            var entity = write.Action.Entity;
            var response = write.Action.ActionType == TableTransactionActionType.Add
                ? await table.AddEntityAsync(entity)
                : await table.UpdateEntityAsync(entity, write.Action.ETag, TableUpdateMode.Replace);
            write.Completion.TrySetResult(response.Headers.ETag ?? default);
        }
        catch (Exception e)
        {
            write.Completion.TrySetException(e);
        }
    }

    private sealed class PartitionQueue(string partition)
    {
        public string Partition { get; } = partition;

        public List<PendingWrite> Writes { get; } = [];

        public bool Flushing { get; set; }
    }

    /// <summary>A write waiting for its partition's next transaction.</summary>
    internal sealed class PendingWrite(TableTransactionAction action, int bytes)
    {
        public TableTransactionAction Action { get; } = action;

        /// <summary>Its share of the transaction's encoded request (<see cref="TransactionSize.Of"/>).</summary>
        public int Bytes { get; } = bytes;

        public TaskCompletionSource<ETag> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
