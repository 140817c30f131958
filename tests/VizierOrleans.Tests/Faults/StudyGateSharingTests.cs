using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Faults;

/// <summary>
/// A suggest batch that only creates new trials and the completions of other trials do not wait for each other's
/// storage writes: each write is held in storage while the other call must finish.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class StudyGateSharingTests(FaultClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_completion_finishes_while_another_workers_new_trial_is_still_being_written()
    {
        var study = await fixture.Client.CreateOrLoadStudyAsync("faults", TestConfigs.UniqueId(), TestConfigs.TwoFloats());
        var first = Assert.Single(await study.SuggestAsync(1, "w1"));

        var hold = StorageFaults.Hold(ResourceNames.Trial(study.Name, 2), StorageOperation.Write);
        var second = study.SuggestAsync(1, "w2");
        await hold.Reached;
        try
        {
            var completed = await first.CompleteAsync(Measurement.Of("loss", 1)).WaitAsync(Patience);
            Assert.Equal(TrialState.Succeeded, completed.State);
            Assert.False(second.IsCompleted);
        }
        finally
        {
            hold.Release();
        }

        Assert.Equal(2, Assert.Single(await second).Id);
        Assert.Equal([(1L, TrialState.Succeeded, "w1"), (2L, TrialState.Active, "w2")], (await study.ListTrialsAsync()).Select(t => (t.Id, t.State, t.ClientId)));
    }

    [Fact]
    public async Task A_suggest_of_new_trials_is_answered_while_another_workers_completion_is_still_being_written()
    {
        var study = await fixture.Client.CreateOrLoadStudyAsync("faults", TestConfigs.UniqueId(), TestConfigs.TwoFloats());
        var first = Assert.Single(await study.SuggestAsync(1, "w1"));

        var hold = StorageFaults.Hold(first.Name, StorageOperation.Write);
        var completion = first.CompleteAsync(Measurement.Of("loss", 1));
        await hold.Reached;
        try
        {
            Assert.Equal(2, Assert.Single(await study.SuggestAsync(1, "w2").WaitAsync(Patience)).Id);
            Assert.False(completion.IsCompleted);
        }
        finally
        {
            hold.Release();
        }

        Assert.Equal(TrialState.Succeeded, (await completion).State);
        Assert.Equal([(1L, TrialState.Succeeded), (2L, TrialState.Active)], (await study.ListTrialsAsync()).Select(t => (t.Id, t.State)));
    }
}
