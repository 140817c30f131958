using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Tests.Persistence;

/// <summary>Sealed trial blocks: a reactivated study reads one summary row per block whose trials are all final.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TrialBlockSummaryTests(AzuriteFixture azurite)
{
    private static Dictionary<string, ParameterValue> Point(int i) => new() { ["x"] = i / 1000.0, ["y"] = -i / 1000.0 };

    [Fact]
    public async Task A_study_reactivated_from_sealed_blocks_equals_the_live_one_after_a_metadata_update_a_delete_and_a_refused_stale_summary()
    {
        var serviceId = $"seal-{Guid.NewGuid():N}"[..20];
        ImmutableList<Trial> live;
        string name;
        var first = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, serviceId);
        try
        {
            var store = Store(first);
            var study = await new VizierClient(first.Client).CreateOrLoadStudyAsync("seal", "s1", TestConfigs.TwoFloats(maxTrials: 2000));
            name = study.Name;

            // Blocks 0 (ids 1-500) and 1 (501-1000) fill up with final trials, one with a curve, one infeasible; 1001 is REQUESTED.
            var worked = await study.SuggestAsync(2, "w1");
            await worked[0].AddMeasurementAsync(Measurement.Of("loss", 3, steps: 1, elapsedSeconds: 0.5));
            await worked[0].AddMeasurementAsync(Measurement.Of("loss", 2, steps: 2, elapsedSeconds: 1.5));
            await worked[0].CompleteAsync();
            await worked[1].CompleteInfeasibleAsync("diverged");
            await Task.WhenAll(Enumerable.Range(3, 998).Select(i => study.AddCompletedTrialAsync(Point(i), Measurement.Of("loss", i))));
            await study.RequestTrialAsync(Point(0));

            var sealedBoth = await Eventually.ReadAsync(
                async () => (await ReadAsync(store, name, 0), await ReadAsync(store, name, 1)),
                s => TrialBlocks.Valid(0, s.Item1?.State) && TrialBlocks.Valid(1, s.Item2?.State));
            Assert.True(TrialBlocks.Valid(0, sealedBoth.Item1?.State));
            Assert.True(TrialBlocks.Valid(1, sealedBoth.Item2?.State));
            Assert.Equal([1L], sealedBoth.Item1!.State!.WithoutMeasurements);
            Assert.Null(await ReadAsync(store, name, 2));

            // The compact study keeps a whole copy of each sealed block too, for pages of whole trials.
            var wholeCopy = await Eventually.ReadAsync(() => ReadWholeAsync(store, name, 0), s => TrialBlocks.Valid(0, s?.State));
            Assert.Equal([1L, 2L], wholeCopy!.State!.Trials[0].Measurements.Select(m => m.Steps));
            Assert.Empty(wholeCopy.State.WithoutMeasurements);

            // A metadata update of a trial in a sealed block invalidates its summary: the summary as read before it (a
            // zombie activation's stale copy) is refused on its ETag; the study seals the block again from its rows.
            var stale = sealedBoth.Item1!;
            await study.Trial(3).UpdateMetadataAsync(new MetadataItem("", "note", "after sealing"));
            Assert.Null(await store.TryWriteAsync(name, TrialBlocks.Key(0), stale.State!, stale.ETag, CancellationToken.None));
            Assert.Null(await store.TryWriteAsync(name, TrialBlocks.Key(0), stale.State!, null, CancellationToken.None));
            Assert.Null(await store.TryWriteAsync(name, TrialBlocks.WholeKey(0), wholeCopy.State, wholeCopy.ETag, CancellationToken.None));

            // A delete leaves a gap: the block's summary is invalidated and the block is never sealed again.
            await study.Trial(600).DeleteAsync();
            Assert.Null((await ReadAsync(store, name, 1))!.State);

            var resealed = await Eventually.ReadAsync(() => ReadAsync(store, name, 0), s => TrialBlocks.Valid(0, s?.State) && s!.State!.Trials[2].Metadata.Get("", "note") == "after sealing");
            Assert.Equal("after sealing", resealed!.State!.Trials[2].Metadata.Get("", "note"));
            Assert.Null((await ReadAsync(store, name, 1))!.State);
            var wholeAgain = await Eventually.ReadAsync(() => ReadWholeAsync(store, name, 0), s => TrialBlocks.Valid(0, s?.State) && s!.State!.Trials[2].Metadata.Get("", "note") == "after sealing");
            Assert.Equal("after sealing", wholeAgain!.State!.Trials[2].Metadata.Get("", "note"));

            live = await study.ListTrialsAsync();
            Assert.Equal(1000, live.Count);
            Assert.Equal([1L, 2L], live[0].Measurements.Select(m => m.Steps));
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        var second = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, serviceId);
        try
        {
            var study = new VizierClient(second.Client).Study("seal", "s1");
            TrialAssert.Same(live, await study.ListTrialsAsync());
            Assert.Equal(0, await ActivationsAsync(second, "TrialGrain"));

            // A page of whole trials in a sealed block reads the block's whole copy (which, altered here as the service
            // never alters it, shows where the page came from).
            var store = Store(second);
            var copy = await Eventually.ReadAsync(() => ReadWholeAsync(store, name, 0), s => TrialBlocks.Valid(0, s?.State) && s!.State!.Trials[2].Metadata.Get("", "note") == "after sealing");
            copy!.State!.Trials[0] = copy.State.Trials[0] with { Measurements = [Measurement.Of("loss", 9, steps: 99)] };
            Assert.NotNull(await store.TryWriteAsync(name, TrialBlocks.WholeKey(0), copy.State, copy.ETag, CancellationToken.None));
            var page = await study.ListTrialsAsync(new TrialFilter { MaxCount = 1 });
            Assert.Equal([99L], page[0].Measurements.Select(m => m.Steps));

            // The reactivated study goes on: the REQUESTED trial is handed out, ids continue after 1001.
            Assert.Equal([1001L, 1002L], (await study.SuggestAsync(2, "w2")).Select(t => t.Id));
            Assert.Null((await ReadAsync(Store(second), name, 1))!.State);
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_sealed_block_is_read_from_its_summary_and_an_invalidated_one_from_its_rows_which_seals_it_again()
    {
        var serviceId = $"seal-{Guid.NewGuid():N}"[..20];
        string name;
        var first = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, serviceId);
        try
        {
            var store = Store(first);
            var study = await new VizierClient(first.Client).CreateOrLoadStudyAsync("seal", "s2", TestConfigs.TwoFloats(maxTrials: 2000));
            name = study.Name;
            await Task.WhenAll(Enumerable.Range(1, 500).Select(i => study.AddCompletedTrialAsync(Point(i), Measurement.Of("loss", i))));
            var stored = await Eventually.ReadAsync(() => ReadAsync(store, name, 0), s => TrialBlocks.Valid(0, s?.State));

            // A summary that differs from the rows (which the service never writes) shows which one activation reads.
            var marked = stored!.State!;
            marked.Trials[9] = marked.Trials[9] with { Metadata = Metadata.Empty.With("", "read", "from the summary") };
            Assert.NotNull(await store.TryWriteAsync(name, TrialBlocks.Key(0), marked, stored.ETag, CancellationToken.None));
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        Assert.Equal("from the summary", await MetadataOfTrial10Async(serviceId, invalidateFirst: false));

        // Invalidated, the block is read from its trial rows, and that activation seals it again from them.
        Assert.Null(await MetadataOfTrial10Async(serviceId, invalidateFirst: true));
    }

    [Fact]
    public async Task A_deleted_study_takes_its_block_summaries_with_it_so_a_study_created_anew_under_its_name_reads_none()
    {
        var cluster = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, $"seal-{Guid.NewGuid():N}"[..20]);
        try
        {
            var store = Store(cluster);
            var client = new VizierClient(cluster.Client);
            var study = await client.CreateOrLoadStudyAsync("seal", "s3", TestConfigs.TwoFloats(maxTrials: 2000));
            await Task.WhenAll(Enumerable.Range(1, 500).Select(i => study.AddCompletedTrialAsync(Point(i), Measurement.Of("loss", i))));
            Assert.True(TrialBlocks.Valid(0, (await Eventually.ReadAsync(() => ReadAsync(store, study.Name, 0), s => TrialBlocks.Valid(0, s?.State)))?.State));

            Assert.True(TrialBlocks.Valid(0, (await Eventually.ReadAsync(() => ReadWholeAsync(store, study.Name, 0), s => TrialBlocks.Valid(0, s?.State)))?.State));

            await study.DeleteAsync();
            Assert.Null(await ReadAsync(store, study.Name, 0));
            Assert.Null(await ReadWholeAsync(store, study.Name, 0));

            var again = await client.CreateOrLoadStudyAsync("seal", "s3", TestConfigs.TwoFloats(maxTrials: 2000));
            await again.AddCompletedTrialAsync(Point(1), Measurement.Of("loss", 1));
            Assert.Equal([1L], (await again.ListTrialsAsync()).Select(t => t.Id));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private async Task<string?> MetadataOfTrial10Async(string serviceId, bool invalidateFirst)
    {
        var cluster = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, serviceId);
        try
        {
            var store = Store(cluster);
            var study = new VizierClient(cluster.Client).Study("seal", "s2");
            if (invalidateFirst)
            {
                await store.InvalidateAsync(study.Name, TrialBlocks.Key(0), CancellationToken.None);
            }

            var trials = await study.ListTrialsAsync(new TrialFilter { IntermediateMeasurements = false });
            Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), trials.Select(t => t.Id));
            if (invalidateFirst)
            {
                var resealed = await Eventually.ReadAsync(() => ReadAsync(store, study.Name, 0), s => TrialBlocks.Valid(0, s?.State));
                Assert.True(TrialBlocks.Valid(0, resealed?.State));
                Assert.Null(resealed!.State!.Trials[9].Metadata.Get("", "read"));
            }

            return trials[9].Metadata.Get("", "read");
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static IPartitionSummaryStore Store(TestCluster cluster) =>
        ((InProcessSiloHandle)cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<IPartitionSummaryStore>(StorageNames.Vizier);

    private static Task<StoredSummary<TrialBlockSummary>?> ReadAsync(IPartitionSummaryStore store, string study, long block) =>
        store.ReadAsync<TrialBlockSummary>(study, TrialBlocks.Key(block), CancellationToken.None);

    private static Task<StoredSummary<TrialBlockSummary>?> ReadWholeAsync(IPartitionSummaryStore store, string study, long block) =>
        store.ReadAsync<TrialBlockSummary>(study, TrialBlocks.WholeKey(block), CancellationToken.None);

    private static async Task<int> ActivationsAsync(TestCluster cluster, string grainClass)
    {
        var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains($".{grainClass}", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }
}
