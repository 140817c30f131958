using System.Collections.Immutable;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class CompactIndexTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Every_read_returns_completed_trials_whole_with_their_intermediate_measurements()
    {
        var study = await fixture.Client.CreateOrLoadStudyAsync("compact", TestConfigs.UniqueId(), TestConfigs.TwoFloats());
        var worked = await study.SuggestAsync(3, "w1");
        foreach (var (t, i) in worked.Select((t, i) => (t, i)))
        {
            await t.AddMeasurementAsync(Measurement.Of("loss", 10 + i, steps: 1, elapsedSeconds: 0.5));
            await t.AddMeasurementAsync(Measurement.Of("loss", 5 + i, steps: 2, elapsedSeconds: 1.0));
        }

        await worked[0].CompleteAsync();
        await worked[1].CompleteInfeasibleAsync("diverged");
        var imported = await study.AddTrialAsync(new TrialRequest
        {
            Parameters = ImmutableDictionary<string, ParameterValue>.Empty.Add("x", 1.0).Add("y", 1.0),
            Measurements = [Measurement.Of("loss", 9, steps: 1), Measurement.Of("loss", 1, steps: 2)],
            FinalMeasurement = Measurement.Of("loss", 1, steps: 2),
            RequestKey = "import-1",
        });

        // What the trial grains (the system of record) hold, against every read of the study.
        var stored = await Task.WhenAll(Enumerable.Range(1, 4).Select(id => fixture.Cluster.Client.GetGrain<ITrialGrain>(ResourceNames.Trial(study.Name, id)).GetAsync()));
        Assert.All(stored, t => Assert.Equal(2, t!.Measurements.Count));
        TrialAssert.Same([.. stored.Select(t => t!)], await study.ListTrialsAsync());
        TrialAssert.Same([.. stored.Skip(1).Take(2).Select(t => t!)], await study.ListTrialsAsync(new TrialFilter { AfterId = 1, MaxCount = 2 }));
        TrialAssert.Same(stored[0]!, await study.Trial(1).MaterializeAsync());
        TrialAssert.Same([stored[3]!], await study.ListOptimalTrialsAsync());
        TrialAssert.Same(stored[3]!, (await study.AddTrialAsync(new TrialRequest
        {
            Parameters = ImmutableDictionary<string, ParameterValue>.Empty.Add("x", 1.0).Add("y", 1.0),
            FinalMeasurement = Measurement.Of("loss", 1, steps: 2),
            RequestKey = "import-1",
        })).Snapshot);
        Assert.Equal(imported.Id, stored[3]!.Id);

        // The index itself holds completed trials without their curves (a policy of this study never reads them); a
        // caller that only needs final values can list them so, without storage reads. The running trial keeps its own.
        var summaries = await study.ListTrialsAsync(new TrialFilter { IntermediateMeasurements = false });
        Assert.Equal([0, 0, 2, 0], summaries.Select(t => t.Measurements.Count));
        Assert.Equal(stored.Select(t => t!.FinalMeasurement), summaries.Select(t => t.FinalMeasurement));
    }

    [Fact]
    public async Task A_study_with_a_stopping_rule_keeps_completed_trials_whole_in_its_index()
    {
        var config = TestConfigs.TwoFloats() with { Stopping = new StoppingConfig { Rule = StoppingRule.Median } };
        var study = await fixture.Client.CreateOrLoadStudyAsync("compact", TestConfigs.UniqueId(), config);
        var trial = (await study.SuggestAsync(1, "w1"))[0];
        await trial.AddMeasurementAsync(Measurement.Of("loss", 3, steps: 1));
        await trial.CompleteAsync();
        var summaries = await study.ListTrialsAsync(new TrialFilter { IntermediateMeasurements = false });
        Assert.Equal([1], summaries.Select(t => t.Measurements.Count));
    }
}
