using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Storage;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Persistence.AzureTables;
using AzureTableGrainStorage = VizierOrleans.Persistence.AzureTables.Storage.AzureTableGrainStorage;

namespace VizierOrleans.Tests.Persistence;

/// <summary>
/// The cases Orleans' own storage provider tests put to every provider (odd grain ids, one grain written from many
/// places at once, duplicate writes, clear then write), against our provider on Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GrainStorageConformanceTests(AzuriteFixture azurite)
{
    private async Task<AzureTableGrainStorage> NewStorageAsync(bool deleteOnClear = true)
    {
        var options = new AzureTableGrainStorageOptions { ConnectionString = azurite.ConnectionString, TableName = "ConformanceTests", DeleteStateOnClear = deleteOnClear };
        var storage = new AzureTableGrainStorage("vizier", options, new ClusterOptions { ServiceId = $"svc{Guid.NewGuid():N}" }, new VizierPartitionLayout(), NullLogger<AzureTableGrainStorage>.Instance);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    private static TestGrainState<TrialRecord> State(string clientId, long id = 1) => new(new TrialRecord
    {
        Trial = new Trial { StudyName = "owners/o/studies/s", Id = id, State = TrialState.Active, ClientId = clientId, CreateTime = DateTimeOffset.UnixEpoch },
    });

    private static TestGrainState<TrialRecord> Empty() => new(new TrialRecord());

    [Theory]
    [InlineData("owners/Алиса/studies/исследование/trials/1")]
    [InlineData("owners/山田/studies/最適化/trials/2")]
    [InlineData("owners/ünïcødé/studies/emoji-\U0001F680/trials/3")]
    [InlineData("grain-ключ-键-🔑")]
    public async Task A_grain_with_a_non_ascii_id_round_trips_and_is_distinct_from_its_ascii_lookalike(string key)
    {
        var storage = await NewStorageAsync();
        var grain = GrainId.Create("trial", key);
        await storage.WriteStateAsync("trial", grain, State(key));

        var read = Empty();
        await storage.ReadStateAsync("trial", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(key, read.State.Trial!.ClientId);

        var lookalike = Empty();
        await storage.ReadStateAsync("trial", GrainId.Create("trial", new string([.. key.Select(c => c < 128 ? c : '?')])), lookalike);
        Assert.False(lookalike.RecordExists);
    }

    [Fact]
    public async Task A_grain_id_of_400_characters_round_trips()
    {
        var storage = await NewStorageAsync();
        var grain = GrainId.Create("trial", "owners/o/studies/" + new string('x', 383));
        Assert.Equal(400, grain.Key.ToString()!.Length);
        await storage.WriteStateAsync("trial", grain, State("long"));

        var read = Empty();
        await storage.ReadStateAsync("trial", grain, read);
        Assert.Equal("long", read.State.Trial!.ClientId);
    }

    [Fact]
    public async Task A_grain_id_longer_than_azure_allows_in_a_key_is_refused_naming_it_and_nothing_is_written()
    {
        var storage = await NewStorageAsync();
        var grain = GrainId.Create("trial", "owners/o/studies/" + new string('y', 1000));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => storage.WriteStateAsync("trial", grain, State("too-long")));
        Assert.Contains("owners/o/studies/yyy", error.Message, StringComparison.Ordinal);
        Assert.Contains("512", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => storage.ReadStateAsync("trial", grain, Empty()));
    }

    [Fact]
    public async Task Of_many_parallel_writes_to_one_grain_with_the_same_etag_exactly_one_wins_and_every_reader_sees_it()
    {
        var storage = await NewStorageAsync();
        var grain = GrainId.Create("trial", "owners/o/studies/s/trials/1");
        var first = State("first");
        await storage.WriteStateAsync("trial", grain, first);

        var writers = Enumerable.Range(0, 20).Select(i => State($"writer-{i}")).ToList();
        writers.ForEach(w => w.ETag = first.ETag);
        var outcomes = await Task.WhenAll(writers.Select(async w =>
        {
            try
            {
                await storage.WriteStateAsync("trial", grain, w);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        var winner = Assert.Single(writers.Where((_, i) => outcomes[i]));
        var reads = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            var read = Empty();
            await storage.ReadStateAsync("trial", grain, read);
            return (read.State.Trial!.ClientId, read.ETag);
        }));
        Assert.All(reads, r => Assert.Equal((winner.State.Trial!.ClientId, winner.ETag), r));
    }

    [Fact]
    public async Task Parallel_writes_in_turn_each_with_the_last_etag_all_land_in_order()
    {
        var storage = await NewStorageAsync();
        var grain = GrainId.Create("trial", "owners/o/studies/s/trials/2");
        var state = State("v0", id: 2);
        await storage.WriteStateAsync("trial", grain, state);

        // Readers run while one writer replaces the state 30 times: each read sees a whole version, never a mix.
        using var done = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var seen = new List<int>();
            while (!done.IsCancellationRequested)
            {
                var read = Empty();
                await storage.ReadStateAsync("trial", grain, read);
                seen.Add(int.Parse(read.State.Trial!.ClientId![1..], System.Globalization.CultureInfo.InvariantCulture));
            }

            return seen;
        })).ToList();
        for (var v = 1; v <= 30; v++)
        {
            state.State = State($"v{v}", id: 2).State;
            await storage.WriteStateAsync("trial", grain, state);
        }

        await done.CancelAsync();
        foreach (var seen in await Task.WhenAll(readers))
        {
            Assert.Equal(seen.Order(), seen);
        }

        var last = Empty();
        await storage.ReadStateAsync("trial", grain, last);
        Assert.Equal(("v30", state.ETag), (last.State.Trial!.ClientId, last.ETag));
    }

    [Fact]
    public async Task A_duplicate_first_write_with_other_content_fails_and_the_first_stays()
    {
        var storage = await NewStorageAsync();
        var grain = GrainId.Create("trial", "owners/o/studies/s/trials/3");
        await storage.WriteStateAsync("trial", grain, State("one", id: 3));

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("trial", grain, State("two", id: 3)));
        var read = Empty();
        await storage.ReadStateAsync("trial", grain, read);
        Assert.Equal("one", read.State.Trial!.ClientId);
    }

    [Fact]
    public async Task Clear_then_write_works_when_clearing_keeps_an_empty_row()
    {
        var storage = await NewStorageAsync(deleteOnClear: false);
        var grain = GrainId.Create("trial", "owners/o/studies/s/trials/4");
        var state = State("before", id: 4);
        await storage.WriteStateAsync("trial", grain, state);
        await storage.ClearStateAsync("trial", grain, state);
        Assert.False(state.RecordExists);
        Assert.NotNull(state.ETag);

        var cleared = Empty();
        await storage.ReadStateAsync("trial", grain, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Equal(state.ETag, cleared.ETag);

        state.State = State("after", id: 4).State;
        await storage.WriteStateAsync("trial", grain, state);
        var read = Empty();
        await storage.ReadStateAsync("trial", grain, read);
        Assert.Equal(("after", true), (read.State.Trial!.ClientId, read.RecordExists));
    }
}
