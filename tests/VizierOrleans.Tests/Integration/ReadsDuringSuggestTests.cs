using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class ReadsDuringSuggestTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Reads_and_completions_do_not_wait_behind_a_suggestion_computation()
    {
        var config = TestConfigs.TwoFloats(AlgorithmNames.RandomSearch);
        var study = await fixture.Client.CreateOrLoadStudyAsync("reads", TestConfigs.UniqueId(), config);
        var first = (await study.SuggestAsync(1, "fast"))[0];

        // Switch the algorithm by creating a second study that blocks; the first study keeps serving.
        var blocking = await fixture.Client.CreateOrLoadStudyAsync("reads", TestConfigs.UniqueId(), config with { Algorithm = BlockingAlgorithm.Name });
        var warm = (await blocking.AddCompletedTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 1.0, ["y"] = 1.0 }, Measurement.Of("loss", 2))).Id;

        // A queued trial is handed out without asking the policy.
        await blocking.RequestTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 0.0, ["y"] = 0.0 });
        var running = (await blocking.SuggestAsync(1, "worker"))[0];
        BlockingAlgorithm.Entered.Reset();
        BlockingAlgorithm.Gate.Reset();
        var slowSuggest = blocking.SuggestAsync(1, "slow");
        Assert.True(BlockingAlgorithm.Entered.Wait(TimeSpan.FromSeconds(30)), "the policy never started");

        // While the policy computes: reads of the same study answer, and so does the other study.
        Assert.Equal(StudyState.Active, (await blocking.GetAsync()).State);
        Assert.Equal([warm, running.Id], (await blocking.ListTrialsAsync()).Select(t => t.Id));
        Assert.Equal(warm, (await blocking.Trial(warm).MaterializeAsync()).Id);
        Assert.Single(await blocking.ListOptimalTrialsAsync());
        Assert.Equal(TrialState.Succeeded, (await first.CompleteAsync(Measurement.Of("loss", 1))).State);
        await running.AddMeasurementAsync(Measurement.Of("loss", 3, steps: 1));
        Assert.Equal(TrialState.Succeeded, (await running.CompleteAsync()).State);
        Assert.False(slowSuggest.IsCompleted);

        BlockingAlgorithm.Gate.Set();
        var suggested = await slowSuggest;
        Assert.Equal([3L], suggested.Select(t => t.Id));
    }
}
