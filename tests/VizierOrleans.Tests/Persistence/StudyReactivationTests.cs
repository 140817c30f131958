using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Storage;

namespace VizierOrleans.Tests.Persistence;

[Collection(AzuriteCollection.Name)]
public sealed class StudyReactivationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_study_reactivated_from_storage_reads_its_trials_by_partition_range_and_equals_the_live_index()
    {
        var serviceId = $"range-{Guid.NewGuid():N}"[..20];
        ImmutableList<Trial> live;
        var first = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, serviceId);
        try
        {
            var study = await new VizierClient(first.Client).CreateOrLoadStudyAsync("range", "s1", TestConfigs.TwoFloats(maxTrials: 2000));

            // Trials in every state, with intermediate measurements and metadata, in two partition blocks (1-500, 501-).
            var worked = await study.SuggestAsync(5, "w1");
            await worked[0].AddMeasurementAsync(Measurement.Of("loss", 3, steps: 1, elapsedSeconds: 0.5));
            await worked[0].AddMeasurementAsync(Measurement.Of("loss", 2, steps: 2, elapsedSeconds: 1.5));
            await worked[0].CompleteAsync();
            await worked[1].AddMeasurementAsync(Measurement.Of("loss", 7, steps: 1));
            await worked[2].StopAsync();
            await worked[3].CompleteInfeasibleAsync("diverged");
            await worked[4].UpdateMetadataAsync(new MetadataItem("", "note", "a/b#c?d~e"), new MetadataItem("ns", "k", "v"));
            await Task.WhenAll(Enumerable.Range(0, 500).Select(i => study.AddCompletedTrialAsync(
                new Dictionary<string, ParameterValue> { ["x"] = i / 100.0, ["y"] = -i / 100.0 }, Measurement.Of("loss", i))));
            await study.RequestTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 1.0, ["y"] = 2.0 });
            await study.Trial(500).DeleteAsync();
            live = await study.ListTrialsAsync();
            Assert.Equal(505, live.Count);
            Assert.Equal([1L, 2L], live[0].Measurements.Select(m => m.Steps));
            Assert.Equal(506, live[^1].Id);
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        var second = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, serviceId);
        try
        {
            var silo = ((InProcessSiloHandle)second.Primary!).SiloHost.Services;
            Assert.NotNull(silo.GetKeyedService<IGrainStatePartitionReader>(StorageNames.Vizier));
            var study = new VizierClient(second.Client).Study("range", "s1");
            var reactivated = await study.ListTrialsAsync();
            TrialAssert.Same(live, reactivated);

            // Read by range queries: not one trial grain was activated to load the study.
            Assert.Equal(0, await ActivationsAsync(second, "TrialGrain"));
            Assert.Equal(1, await ActivationsAsync(second, "StudyGrain"));

            // The trial grains then write on top of what the study read: the running trial completes, ids continue.
            var completed = await study.Trial(2).CompleteAsync(Measurement.Of("loss", 6));
            Assert.Equal((TrialState.Succeeded, live[1].Version + 1), (completed.State, completed.Version));
            Assert.Equal([506L], (await study.SuggestAsync(1, "w2")).Select(t => t.Id));
            Assert.Equal([507L], (await study.SuggestAsync(2, "w2")).Skip(1).Select(t => t.Id));
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }

    private static async Task<int> ActivationsAsync(TestCluster cluster, string grainClass)
    {
        var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains($".{grainClass}", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }
}
