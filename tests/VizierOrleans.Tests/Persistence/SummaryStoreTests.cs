using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;
using VizierOrleans.Persistence.AzureTables;
using VizierOrleans.Persistence.AzureTables.Storage;
using AzureTableGrainStorage = VizierOrleans.Persistence.AzureTables.Storage.AzureTableGrainStorage;

namespace VizierOrleans.Tests.Persistence;

[Collection(AzuriteCollection.Name)]
public sealed class SummaryStoreTests(AzuriteFixture azurite)
{
    private const string Group = "owners/alice/studies/s1";

    private async Task<IPartitionSummaryStore> NewStoreAsync()
    {
        var options = new AzureTableGrainStorageOptions { ConnectionString = azurite.ConnectionString, TableName = "SummaryStoreTests" };
        var storage = new AzureTableGrainStorage("vizier", options, new ClusterOptions { ServiceId = $"svc{Guid.NewGuid():N}" }, new VizierPartitionLayout(), NullLogger<AzureTableGrainStorage>.Instance);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    private static TrialBlockSummary Summary(long block) => new() { Block = block, WithoutMeasurements = [block] };

    [Fact]
    public async Task A_summary_write_needs_the_etag_it_read_and_an_invalidation_refuses_every_earlier_read()
    {
        var store = await NewStoreAsync();
        var first = await store.TryWriteAsync(Group, "trials|1", Summary(1), null, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await store.TryWriteAsync(Group, "trials|1", Summary(2), null, CancellationToken.None));

        var read = await store.ReadAsync<TrialBlockSummary>(Group, "trials|1", CancellationToken.None);
        Assert.Equal((first, 1L), (read!.ETag, read.State!.Block));
        var second = await store.TryWriteAsync(Group, "trials|1", Summary(3), read.ETag, CancellationToken.None);
        Assert.NotNull(second);
        Assert.Null(await store.TryWriteAsync(Group, "trials|1", Summary(4), first, CancellationToken.None));

        await store.InvalidateAsync(Group, "trials|1", CancellationToken.None);
        var invalidated = await store.ReadAsync<TrialBlockSummary>(Group, "trials|1", CancellationToken.None);
        Assert.Null(invalidated!.State);
        Assert.Null(await store.TryWriteAsync(Group, "trials|1", Summary(5), second, CancellationToken.None));
        Assert.NotNull(await store.TryWriteAsync(Group, "trials|1", Summary(6), invalidated.ETag, CancellationToken.None));
        Assert.Equal(6L, (await store.ReadAsync<TrialBlockSummary>(Group, "trials|1", CancellationToken.None))!.State!.Block);

        // Invalidating a row that never existed leaves a tombstone, so a writer that read "no row" is refused too.
        await store.InvalidateAsync(Group, "trials|2", CancellationToken.None);
        Assert.Null(await store.TryWriteAsync(Group, "trials|2", Summary(2), null, CancellationToken.None));

        await store.DeleteAsync(Group, "trials|1", CancellationToken.None);
        await store.DeleteAsync(Group, "trials|9", CancellationToken.None);
        Assert.Null(await store.ReadAsync<TrialBlockSummary>(Group, "trials|1", CancellationToken.None));
    }

    [Fact]
    public async Task Reading_all_summaries_of_a_prefix_returns_them_in_key_order_with_tombstones_and_nothing_else()
    {
        var store = await NewStoreAsync();
        await store.TryWriteAsync(Group, "trials|0000000002", Summary(2), null, CancellationToken.None);
        await store.TryWriteAsync(Group, "trials|0000000000", Summary(0), null, CancellationToken.None);
        await store.InvalidateAsync(Group, "trials|0000000001", CancellationToken.None);
        await store.TryWriteAsync(Group, "other|0", Summary(7), null, CancellationToken.None);
        await store.TryWriteAsync("owners/alice/studies/s2", "trials|0000000000", Summary(8), null, CancellationToken.None);

        var all = new List<StoredSummary<TrialBlockSummary>>();
        await foreach (var summary in store.ReadAllAsync<TrialBlockSummary>(Group, "trials|", CancellationToken.None))
        {
            all.Add(summary);
        }

        Assert.Equal(["trials|0000000000", "trials|0000000001", "trials|0000000002"], all.Select(s => s.Key));
        Assert.Equal([0L, null, 2L], all.Select(s => s.State?.Block));
    }

    [Fact]
    public async Task A_summary_larger_than_an_Azure_entity_is_refused_before_any_io()
    {
        var store = await NewStoreAsync();

        // Random ids hardly compress: about 3 MB of JSON, 1.3 MB gzipped, above the 1 MiB an entity holds.
        var random = new Random(7);
        var big = new TrialBlockSummary { Block = 0, WithoutMeasurements = [.. Enumerable.Range(0, 150_000).Select(_ => random.NextInt64())] };
        await Assert.ThrowsAsync<StateTooLargeException>(() => store.TryWriteAsync(Group, "trials|0", big, null, CancellationToken.None));
        Assert.Null(await store.ReadAsync<TrialBlockSummary>(Group, "trials|0", CancellationToken.None));

        // Below the limit, a summary spread over several 64 KiB properties round-trips.
        var large = new TrialBlockSummary { Block = 0, WithoutMeasurements = [.. Enumerable.Range(0, 20_000).Select(_ => random.NextInt64())] };
        Assert.NotNull(await store.TryWriteAsync(Group, "trials|0", large, null, CancellationToken.None));
        Assert.Equal(large.WithoutMeasurements, (await store.ReadAsync<TrialBlockSummary>(Group, "trials|0", CancellationToken.None))!.State!.WithoutMeasurements);
    }
}
