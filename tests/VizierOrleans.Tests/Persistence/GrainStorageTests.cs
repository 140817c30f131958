using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Storage;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Persistence.AzureTables;
using VizierOrleans.Persistence.AzureTables.Storage;

namespace VizierOrleans.Tests.Persistence;

[Collection(AzuriteCollection.Name)]
public sealed class GrainStorageTests(AzuriteFixture azurite)
{
    private static readonly GrainId StudyGrainId = GrainId.Create("study", "owners/alice/studies/s1");

    private async Task<AzureTableGrainStorage> NewStorageAsync(bool batch = true, IStoragePartitionLayout? layout = null, string? serviceId = null)
    {
        var options = new AzureTableGrainStorageOptions { ConnectionString = azurite.ConnectionString, TableName = "GrainStorageTests", BatchWrites = batch };
        var cluster = new ClusterOptions { ServiceId = serviceId ?? $"svc{Guid.NewGuid():N}" };
        var storage = new AzureTableGrainStorage("vizier", options, cluster, layout ?? new VizierPartitionLayout(), NullLogger<AzureTableGrainStorage>.Instance);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    private static TrialRecord TrialWith(int measurements, long id = 7) => new()
    {
        Trial = new Trial
        {
            StudyName = "owners/alice/studies/s1",
            Id = id,
            State = TrialState.Active,
            ClientId = "worker-1",
            Parameters = ImmutableDictionary<string, ParameterValue>.Empty.Add("lr", 0.01).Add("model", "tree"),
            Measurements = [.. Enumerable.Range(0, measurements).Select(i => Measurement.Of("loss", 1.0 / (i + 1), steps: i, elapsedSeconds: i * 0.5))],
            CreateTime = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
            Metadata = Metadata.Empty.With("", "note", "a/b#c?d~e"),
            Version = 3,
        },
    };

    private static GrainId TrialId(long id) => GrainId.Create("trial", $"owners/alice/studies/s1/trials/{id}");

    [Fact]
    public async Task State_round_trips_with_etags()
    {
        var storage = await NewStorageAsync();
        var written = new TestGrainState<TrialRecord>(TrialWith(3));
        await storage.WriteStateAsync("trial", TrialId(7), written);
        Assert.NotNull(written.ETag);
        Assert.True(written.RecordExists);

        var read = new TestGrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", TrialId(7), read);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        var trial = read.State.Trial!;
        Assert.Equal(7, trial.Id);
        Assert.Equal(TrialState.Active, trial.State);
        Assert.Equal("tree", trial.Parameters["model"].Text);
        Assert.Equal(0.01, trial.Parameters["lr"].Number);
        Assert.Equal(written.State.Trial!.Measurements, trial.Measurements);
        Assert.Equal("a/b#c?d~e", trial.Metadata.Get("", "note"));
        Assert.Equal(written.State.Trial.CreateTime, trial.CreateTime);

        var missing = new TestGrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", TrialId(8), missing);
        Assert.False(missing.RecordExists);
        Assert.Null(missing.ETag);
        Assert.Null(missing.State.Trial);
    }

    [Fact]
    public async Task Stale_etag_fails_with_InconsistentStateException_and_keeps_the_stored_data()
    {
        var storage = await NewStorageAsync();
        var first = new TestGrainState<TrialRecord>(TrialWith(1));
        await storage.WriteStateAsync("trial", TrialId(1), first);

        var a = new TestGrainState<TrialRecord>(new TrialRecord());
        var b = new TestGrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", TrialId(1), a);
        await storage.ReadStateAsync("trial", TrialId(1), b);
        a.State = TrialWith(2);
        await storage.WriteStateAsync("trial", TrialId(1), a);
        b.State = TrialWith(5);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("trial", TrialId(1), b));

        // A writer that believes no row exists may not overwrite one either.
        var blind = new TestGrainState<TrialRecord>(TrialWith(9));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("trial", TrialId(1), blind));

        var stored = new TestGrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", TrialId(1), stored);
        Assert.Equal(2, stored.State.Trial!.Measurements.Count);
        Assert.Equal(a.ETag, stored.ETag);
    }

    [Fact]
    public async Task A_retried_write_that_was_already_applied_succeeds()
    {
        var storage = await NewStorageAsync();
        var state = new TestGrainState<TrialRecord>(TrialWith(1));
        await storage.WriteStateAsync("trial", TrialId(11), state);
        var before = state.ETag;
        state.State = TrialWith(2);
        await storage.WriteStateAsync("trial", TrialId(11), state);

        // As if the SDK retried the second write after it had been applied: same content, old ETag.
        var retry = new TestGrainState<TrialRecord>(TrialWith(2)) { ETag = before };
        await storage.WriteStateAsync("trial", TrialId(11), retry);
        Assert.Equal(state.ETag, retry.ETag);

        // Different content with the old ETag is still a conflict.
        var stale = new TestGrainState<TrialRecord>(TrialWith(3)) { ETag = before };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("trial", TrialId(11), stale));
    }

    [Fact]
    public async Task Trial_with_5000_measurements_round_trips()
    {
        var storage = await NewStorageAsync();
        var state = new TestGrainState<TrialRecord>(TrialWith(5000));
        await storage.WriteStateAsync("trial", TrialId(2), state);
        var read = new TestGrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", TrialId(2), read);
        Assert.Equal(5000, read.State.Trial!.Measurements.Count);
        Assert.Equal(state.State.Trial!.Measurements[4999], read.State.Trial.Measurements[4999]);
    }

    [Fact]
    public async Task Large_incompressible_state_is_split_across_properties()
    {
        var storage = await NewStorageAsync();
        var noise = RandomText(600_000, seed: 1);
        var state = new TestGrainState<TrialRecord>(new TrialRecord { Trial = TrialWith(0).Trial! with { InfeasibleReason = noise } });
        await storage.WriteStateAsync("trial", TrialId(3), state);
        var read = new TestGrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", TrialId(3), read);
        Assert.Equal(noise, read.State.Trial!.InfeasibleReason);

        var properties = StatePayload.Encode(System.Text.Encoding.UTF8.GetBytes(noise), "test");
        Assert.True(properties.Keys.Count(k => k.StartsWith(StatePayload.DataPrefix, StringComparison.Ordinal)) >= 6);
        Assert.All(properties.Values.OfType<byte[]>(), b => Assert.True(b.Length <= AzureTableLimits.MaxPropertyBytes));
    }

    [Fact]
    public async Task Over_limit_state_is_refused_before_any_io_and_the_row_is_unchanged()
    {
        var storage = await NewStorageAsync();
        var state = new TestGrainState<TrialRecord>(TrialWith(1));
        await storage.WriteStateAsync("trial", TrialId(4), state);
        var etag = state.ETag;

        state.State = new TrialRecord { Trial = TrialWith(0).Trial! with { InfeasibleReason = RandomText(1_200_000, seed: 2) } };
        var e = await Assert.ThrowsAsync<StateTooLargeException>(() => storage.WriteStateAsync("trial", TrialId(4), state));
        Assert.Contains("more than one Azure table entity holds", e.Message);
        Assert.Contains("trials/4", e.Message);
        Assert.Equal(etag, state.ETag);

        var read = new TestGrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", TrialId(4), read);
        Assert.Single(read.State.Trial!.Measurements);
        Assert.Null(read.State.Trial.InfeasibleReason);
    }

    [Fact]
    public async Task Keys_are_sanitized_without_collisions()
    {
        var storage = await NewStorageAsync();
        string[] keys = ["owners/a/studies/x#1", "owners/a/studies/x?1", "owners/a/studies/x~231", "owners/a/studies/x\\1", "owners/a/studies/x\u00011"];
        Assert.Equal(keys.Length, keys.Select(TableKeys.Escape).Distinct().Count());
        Assert.All(keys, k => Assert.Equal(k, TableKeys.Unescape(TableKeys.Escape(k))));
        Assert.All(keys.Select(TableKeys.Escape), k => Assert.DoesNotMatch("[/\\\\#?\\u0000-\\u001f]", k));

        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            await storage.WriteStateAsync("study", GrainId.Create("study", key), new TestGrainState<TrialRecord>(TrialWith(i + 1)));
        }

        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            var read = new TestGrainState<TrialRecord>(new TrialRecord());
            await storage.ReadStateAsync("study", GrainId.Create("study", key), read);
            Assert.Equal(i + 1, read.State.Trial!.Measurements.Count);
        }

        // Trials share partitions by blocks of 500 consecutive ids, next to (not in) the study's own partition.
        var (studyPartition, _) = storage.Keys("study", StudyGrainId);
        var (trialPartition, trialRow) = storage.Keys("trial", TrialId(9));
        Assert.StartsWith(studyPartition, trialPartition);
        Assert.Equal(trialPartition, storage.Keys("trial", TrialId(500)).Partition);
        Assert.NotEqual(trialPartition, storage.Keys("trial", TrialId(501)).Partition);
        Assert.Contains("trials~2F9", trialRow);
    }

    [Fact]
    public async Task The_injected_vizier_layout_keeps_the_keys_that_the_provider_wrote_before_it()
    {
        // These keys are what the provider derived by itself before the grains injected the layout: stored rows must keep loading.
        var storage = await NewStorageAsync(serviceId: "svc");
        Assert.Equal(("svc|owners~2Falice~2Fstudies~2Fs1", "study|study|owners~2Falice~2Fstudies~2Fs1"), storage.Keys("study", StudyGrainId));
        Assert.Equal(("svc|owners~2Falice~2Fstudies~2Fs1|0", "trial|trial|owners~2Falice~2Fstudies~2Fs1~2Ftrials~2F500"), storage.Keys("trial", TrialId(500)));
        Assert.Equal("svc|owners~2Falice~2Fstudies~2Fs1|1", storage.Keys("trial", TrialId(501)).Partition);
        Assert.Equal(("svc|owner", "owner|owner|alice"), storage.Keys("owner", GrainId.Create("owner", "alice")));
        Assert.Equal("svc|policy-worker", storage.Keys("state", GrainId.Create("policy-worker", "0")).Partition);

        // A provider without a layout keeps one partition per grain type.
        var plain = new AzureTableGrainStorage("plain", new AzureTableGrainStorageOptions { ConnectionString = azurite.ConnectionString }, new ClusterOptions { ServiceId = "svc" }, null, NullLogger<AzureTableGrainStorage>.Instance);
        Assert.Equal("svc|trial", plain.Keys("trial", TrialId(9)).Partition);
    }

    [Fact]
    public async Task A_partition_range_read_returns_the_block_s_trials_decoded_as_ReadState_decodes_them_and_nothing_else()
    {
        var storage = await NewStorageAsync();
        foreach (var id in new long[] { 1, 2, 3, 500, 501 })
        {
            await storage.WriteStateAsync("trial", TrialId(id), new TestGrainState<TrialRecord>(TrialWith(measurements: (int)(id % 4), id: id)));
        }

        await storage.WriteStateAsync("study", StudyGrainId, new TestGrainState<TrialRecord>(TrialWith(1)));
        await storage.WriteStateAsync("other", TrialId(4), new TestGrainState<TrialRecord>(TrialWith(1, id: 4)));
        var cleared = new TestGrainState<TrialRecord>(TrialWith(1, id: 2));
        await storage.ReadStateAsync("trial", TrialId(2), cleared);
        await storage.ClearStateAsync("trial", TrialId(2), cleared);

        var read = await ReadAllAsync(storage, VizierPartitionLayout.TrialPartition("owners/alice/studies/s1", 1));
        Assert.Equal([1L, 3L, 500L], read.Select(r => r.State.Trial!.Id).Order());
        foreach (var (grain, state) in read)
        {
            var single = new TestGrainState<TrialRecord>(new TrialRecord());
            await storage.ReadStateAsync("trial", grain, single);
            TrialAssert.Same(single.State.Trial!, state.Trial!);
            Assert.Equal(TrialId(state.Trial!.Id), grain);
        }

        Assert.Equal([501L], (await ReadAllAsync(storage, VizierPartitionLayout.TrialPartition("owners/alice/studies/s1", 501))).Select(r => r.State.Trial!.Id));
        Assert.Empty(await ReadAllAsync(storage, VizierPartitionLayout.TrialPartition("owners/alice/studies/s2", 1)));
    }

    [Fact]
    public async Task A_partition_range_read_follows_the_store_s_pages_past_1000_states()
    {
        var storage = await NewStorageAsync(layout: new OneGroup());
        await Task.WhenAll(Enumerable.Range(1, 1_201).Select(i => storage.WriteStateAsync("trial", TrialId(i), new TestGrainState<TrialRecord>(TrialWith(1, id: i)))));
        var read = await ReadAllAsync(storage, "all");
        Assert.Equal(Enumerable.Range(1, 1_201).Select(i => (long)i), read.Select(r => r.State.Trial!.Id).Order());
    }

    private static async Task<List<(GrainId Grain, TrialRecord State)>> ReadAllAsync(AzureTableGrainStorage storage, string group)
    {
        var read = new List<(GrainId, TrialRecord)>();
        await foreach (var row in storage.ReadPartitionAsync<TrialRecord>(group, "trial", GrainType.Create("trial"), CancellationToken.None))
        {
            read.Add(row);
        }

        return read;
    }

    private sealed class OneGroup : IStoragePartitionLayout
    {
        public string PartitionOf(GrainId grainId) => "all";
    }

    [Fact]
    public async Task Clear_deletes_the_row_and_a_stale_clear_conflicts()
    {
        var storage = await NewStorageAsync();
        var state = new TestGrainState<TrialRecord>(TrialWith(1));
        await storage.WriteStateAsync("trial", TrialId(5), state);
        var stale = new TestGrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", TrialId(5), stale);

        await storage.ClearStateAsync("trial", TrialId(5), state);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        var read = new TestGrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", TrialId(5), read);
        Assert.False(read.RecordExists);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("trial", TrialId(5), stale));

        // After a clear the grain can write again as a new row.
        state.State = TrialWith(2);
        await storage.WriteStateAsync("trial", TrialId(5), state);
        await storage.ReadStateAsync("trial", TrialId(5), read);
        Assert.Equal(2, read.State.Trial!.Measurements.Count);
    }

    [Fact]
    public async Task Concurrent_writes_to_one_study_are_batched_and_one_conflict_fails_alone()
    {
        var storage = await NewStorageAsync();
        var states = Enumerable.Range(1, 250).Select(i => new TestGrainState<TrialRecord>(TrialWith(1, id: i))).ToList();
        await Task.WhenAll(states.Select((s, i) => storage.WriteStateAsync("trial", TrialId(i + 1), s)));
        Assert.All(states, s => Assert.NotNull(s.ETag));

        // Second round, in parallel, with one writer holding a stale ETag.
        var stale = states[42].ETag;
        await storage.WriteStateAsync("trial", TrialId(43), states[42]);
        states[42].ETag = stale;
        foreach (var s in states)
        {
            s.State = TrialWith(2, id: s.State.Trial!.Id);
        }

        var results = await Task.WhenAll(states.Select(async (s, i) =>
        {
            try
            {
                await storage.WriteStateAsync("trial", TrialId(i + 1), s);
                return null;
            }
            catch (InconsistentStateException e)
            {
                return e;
            }
        }));
        Assert.Equal([42], results.Select((r, i) => (r, i)).Where(x => x.r is not null).Select(x => x.i));

        foreach (var i in new[] { 0, 41, 43, 249 })
        {
            var read = new TestGrainState<TrialRecord>(new TrialRecord());
            await storage.ReadStateAsync("trial", TrialId(i + 1), read);
            Assert.Equal(2, read.State.Trial!.Measurements.Count);
        }
    }

    private static string RandomText(int length, int seed)
    {
        var random = new Random(seed);
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }
}
