using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Faults;

/// <summary>Issue #18's defects 6 (create-trial request keys) and 9: the client library's retries and the worker loop's races.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class WorkerLoopTests(FaultClusterFixture fixture)
{
    private static readonly Dictionary<string, ParameterValue> Point = new() { ["x"] = 1.0, ["y"] = 2.0 };

    private Task<StudyHandle> NewStudyAsync(StudyConfig? config = null) =>
        fixture.Client.CreateOrLoadStudyAsync("loop", TestConfigs.UniqueId(), config ?? TestConfigs.TwoFloats());

    // 6.
    [Fact]
    public async Task A_create_trial_retried_with_its_request_key_returns_the_first_trial()
    {
        var study = await NewStudyAsync();
        CallFaults.LoseNextResponse(study.Name, nameof(IStudyGrain.CreateTrialAsync));
        var first = await study.RequestTrialAsync(Point, requestKey: "import-7");
        var again = await study.RequestTrialAsync(Point, requestKey: "import-7");
        Assert.Equal(1, first.Id);
        Assert.Equal(1, again.Id);
        Assert.Single(await study.ListTrialsAsync());
        Assert.Equal(2, (await study.RequestTrialAsync(Point, requestKey: "import-8")).Id);
    }

    // 9.
    [Fact]
    public async Task A_measurement_whose_answer_was_lost_is_retried_and_stored_once()
    {
        var study = await NewStudyAsync();
        var trial = (await study.SuggestAsync(1, "w"))[0];
        CallFaults.LoseNextResponse(study.Name, nameof(IStudyGrain.AddMeasurementAsync));
        await trial.AddMeasurementAsync(Measurement.Of("loss", 3, steps: 1));
        Assert.Single((await trial.MaterializeAsync()).Measurements);
    }

    // 9.
    [Fact]
    public async Task A_should_stop_whose_answer_was_lost_is_retried()
    {
        var study = await NewStudyAsync();
        var trial = (await study.SuggestAsync(1, "w"))[0];
        CallFaults.LoseNextResponse(study.Name, nameof(IStudyGrain.ShouldStopAsync));
        Assert.False(await trial.ShouldStopAsync());
    }

    // 9.
    [Fact]
    public async Task The_worker_loop_retries_an_unavailable_silo_and_a_timeout_but_not_a_parse_error()
    {
        var study = await NewStudyAsync(TestConfigs.TwoFloats(maxTrials: 2));
        CallFaults.FailNext(study.Name, nameof(IStudyGrain.StartSuggestAsync), new SiloUnavailableException("injected: the silo died"));
        CallFaults.FailNext(study.Name, nameof(IStudyGrain.StartSuggestAsync), new TimeoutException("injected: the call timed out"));
        Assert.Equal(2, await study.RunWorkerAsync("w", (_, _) => Task.FromResult(Measurement.Of("loss", 1))));

        var other = await NewStudyAsync(TestConfigs.TwoFloats(maxTrials: 2));
        CallFaults.FailNext(other.Name, nameof(IStudyGrain.StartSuggestAsync), new System.Text.Json.JsonException("injected: a payload that does not parse"));
        await Assert.ThrowsAsync<System.Text.Json.JsonException>(() => other.RunWorkerAsync("w", (_, _) => Task.FromResult(Measurement.Of("loss", 1))));
        Assert.Empty(await other.ListTrialsAsync());
    }

    // 9.
    [Fact]
    public async Task A_late_completion_refused_after_the_lease_moved_is_logged_and_the_worker_goes_on()
    {
        var study = await NewStudyAsync(TestConfigs.TwoFloats(maxTrials: 2) with { TrialLease = TimeSpan.FromMilliseconds(1) });
        var seen = new List<long>();
        var evaluated = await study.RunWorkerAsync("slow", async (trial, ct) =>
        {
            seen.Add(trial.Id);
            if (trial.Id == 1)
            {
                // The slow worker's lease runs out: another worker takes the trial and completes it first.
                fixture.LeaseClock.Advance(TimeSpan.FromSeconds(1));
                var taken = Assert.Single(await study.SuggestAsync(1, "fast"));
                Assert.Equal(1, taken.Id);
                await taken.CompleteAsync(Measurement.Of("loss", 9));
            }

            return Measurement.Of("loss", 1);
        });

        Assert.Equal(2, evaluated);
        Assert.Equal([1L, 2L], seen);
        var trials = await study.ListTrialsAsync();
        Assert.Equal(9, trials[0].FinalMeasurement!.Metrics["loss"]);
        Assert.Equal(TrialState.Succeeded, trials[1].State);
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);
    }
}
