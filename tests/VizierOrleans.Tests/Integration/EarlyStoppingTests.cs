using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class EarlyStoppingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Worker_loop_receives_the_stop_and_completes_the_trial()
    {
        var config = TestConfigs.TwoFloats(maxTrials: 4) with
        {
            Stopping = new StoppingConfig { Rule = StoppingRule.Median, MinSteps = 2, MinCompletedTrials = 2 },
        };
        var study = await fixture.Client.CreateOrLoadStudyAsync("stopping", TestConfigs.UniqueId(), config);

        // Three trials learn well and run to completion; the fourth learns badly and is stopped.
        var stepsRun = new Dictionary<long, int>();
        var evaluated = await study.RunWorkerAsync("trainer", async (trial, _) =>
        {
            Func<int, double> curve = trial.Id <= 3 ? s => 10.0 / s : s => 100 - s;
            for (var step = 1; step <= 10; step++)
            {
                await trial.AddMeasurementAsync(Measurement.Of("loss", curve(step), steps: step));
                stepsRun[trial.Id] = step;
                if (await trial.ShouldStopAsync())
                {
                    Assert.Equal(TrialState.Stopping, (await trial.MaterializeAsync()).State);
                    break;
                }
            }

            // A stopped worker reports what it has: the last measurement.
            return (await trial.MaterializeAsync()).Measurements[^1];
        });

        Assert.Equal(4, evaluated);
        Assert.Equal([10, 10, 10, 2], stepsRun.OrderBy(kv => kv.Key).Select(kv => kv.Value));
        var stopped = await study.Trial(4).MaterializeAsync();
        Assert.Equal(TrialState.Succeeded, stopped.State);
        Assert.Equal(2, stopped.FinalMeasurement!.Steps);
        Assert.Equal(98, stopped.FinalMeasurement.Metrics["loss"]);
        Assert.Contains("median", stopped.StoppingReason);
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);
    }
}
