using Azure.Data.Tables;
using VizierOrleans.Persistence.AzureTables.Storage;

namespace VizierOrleans.Tests.Persistence;

public sealed class TransactionSizeTests
{
    private const int Kib = 1024;

    [Fact]
    public void A_binary_property_counts_at_its_base64_size_in_a_transaction()
    {
        var size = TransactionSize.Of(Entity("r1", 900 * Kib));
        Assert.InRange(size, 1200 * Kib, (1200 * Kib) + (4 * Kib));
    }

    [Fact]
    public void Four_900_KiB_writes_need_two_transactions_because_base64_makes_them_4_7_MiB_on_the_wire()
    {
        // 3.5 MiB of raw bytes would fit one 4 MiB transaction; encoded they do not, and Azure rejects the request.
        var writes = Enumerable.Range(1, 4).Select(i => Pending(Entity($"r{i}", 900 * Kib))).ToList();

        Assert.Equal(["r1", "r2", "r3"], PartitionWriteBatcher.TakeBatch(writes).Select(w => w.Action.Entity.RowKey));
        Assert.Equal(["r4"], PartitionWriteBatcher.TakeBatch(writes).Select(w => w.Action.Entity.RowKey));
        Assert.Empty(writes);
    }

    [Fact]
    public void Small_writes_still_share_one_transaction_up_to_100_operations()
    {
        var writes = Enumerable.Range(1, 150).Select(i => Pending(Entity($"r{i}", Kib))).ToList();

        Assert.Equal(100, PartitionWriteBatcher.TakeBatch(writes).Count);
        Assert.Equal(50, PartitionWriteBatcher.TakeBatch(writes).Count);
    }

    [Fact]
    public void Non_ascii_text_counts_as_json_escapes()
    {
        var entity = new TableEntity("p", "r") { ["Note"] = new string('é', 1000) };
        Assert.True(TransactionSize.Of(entity) >= 6000);
    }

    private static TableEntity Entity(string row, int bytes)
    {
        var entity = new TableEntity("study", row);
        for (var i = 0; i * 64 * Kib < bytes; i++)
        {
            entity[$"Data{i}"] = new byte[Math.Min(64 * Kib, bytes - (i * 64 * Kib))];
        }

        return entity;
    }

    private static PartitionWriteBatcher.PendingWrite Pending(TableEntity entity) =>
        new(new TableTransactionAction(TableTransactionActionType.Add, entity), TransactionSize.Of(entity));
}
