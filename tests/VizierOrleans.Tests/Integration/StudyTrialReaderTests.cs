using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Storage;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class StudyTrialReaderTests(ClusterFixture fixture)
{
    [Fact]
    public async Task On_memory_storage_the_study_reads_its_trials_from_the_trial_grains_and_sees_what_the_live_index_holds()
    {
        var silo = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services;
        Assert.Null(silo.GetKeyedService<IGrainStatePartitionReader>(StorageNames.Vizier));
        var reader = silo.GetRequiredService<StudyTrialReader>();
        Assert.False(reader.ReadsRanges);

        var study = await fixture.Client.CreateOrLoadStudyAsync("reader", TestConfigs.UniqueId(), TestConfigs.TwoFloats());
        var worked = await study.SuggestAsync(3, "w1");
        await worked[0].AddMeasurementAsync(Measurement.Of("loss", 4, steps: 1, elapsedSeconds: 0.25));
        await worked[0].CompleteAsync();
        await worked[1].CompleteInfeasibleAsync("nan");
        await study.AddCompletedTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 1.0, ["y"] = 1.0 }, Measurement.Of("loss", 2));
        await study.Trial(3).DeleteAsync();

        var read = (await reader.LoadAsync(study.Name, limit: 100, compact: false)).Trials;
        TrialAssert.Same(await study.ListTrialsAsync(), read);
        Assert.Equal([1L, 2L, 4L], read.Select(t => t.Id));
        Assert.Equal([1L, 2L], (await reader.LoadAsync(study.Name, limit: 3, compact: false)).Trials.Select(t => t.Id));
    }
}
