using System.Diagnostics.Metrics;
using Azure.Data.Tables;
using VizierOrleans.Persistence.AzureTables.Storage;

namespace VizierOrleans.Tests.Persistence;

[Collection(AzuriteCollection.Name)]
public sealed class PartitionWriteBatcherTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Concurrent_writes_to_one_partition_share_transactions_and_each_request_is_counted_once()
    {
        var tableName = $"batcher{Guid.NewGuid():N}"[..30];
        var table = new TableClient(azurite.ConnectionString, tableName);
        await table.CreateIfNotExistsAsync();
        var requests = new Dictionary<string, long> { ["transaction"] = 0, ["single"] = 0 };
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "vizier.storage.table.requests")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? kind = null, of = null;
            foreach (var tag in tags)
            {
                (kind, of) = tag.Key switch
                {
                    "request.kind" => ((string?)tag.Value, of),
                    "vizier.table" => (kind, (string?)tag.Value),
                    _ => (kind, of),
                };
            }

            if (of == tableName)
            {
                lock (requests)
                {
                    requests[kind!] += value;
                }
            }
        });
        listener.Start();

        var batcher = new PartitionWriteBatcher(table);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            batcher.WriteAsync(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i:D2}") { ["V"] = i }))));

        var rows = new List<string>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == "p"))
        {
            rows.Add(e.RowKey);
        }

        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"r{i:D2}"), rows.Order());

        // The first write may go alone while the others queue behind it; the 40 writes take a few requests, not 40.
        Assert.InRange(requests["single"], 0, 1);
        Assert.InRange(requests["transaction"], 1, 3);
    }
}
