using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class TrialImportTests(ClusterFixture fixture)
{
    private static readonly Dictionary<string, ParameterValue> Point = new() { ["x"] = 1.0, ["y"] = 2.0 };

    [Fact]
    public async Task An_imported_trial_keeps_its_intermediate_measurements_and_bad_ones_are_refused_naming_the_measurement()
    {
        var study = await fixture.Client.CreateOrLoadStudyAsync("import", TestConfigs.UniqueId(), TestConfigs.TwoFloats());
        var curve = Enumerable.Range(1, 3).Select(s => Measurement.Of("loss", 10.0 / s, steps: s, elapsedSeconds: s * 0.5)).ToList();
        var trial = await study.AddTrialAsync(new TrialRequest { Parameters = Point.ToImmutableDictionary(), Measurements = [.. curve], FinalMeasurement = curve[^1] });
        var stored = await trial.MaterializeAsync();
        Assert.Equal((TrialState.Succeeded, 1L), (stored.State, stored.Id));
        Assert.Equal(curve, stored.Measurements);

        var requested = await Assert.ThrowsAsync<InvalidArgumentException>(() => study.AddTrialAsync(new TrialRequest { Parameters = Point.ToImmutableDictionary(), Measurements = [curve[0]] }));
        Assert.Contains("intermediate measurements can be imported only with a SUCCEEDED or INFEASIBLE trial", requested.Message);
        var notFinite = await Assert.ThrowsAsync<InvalidArgumentException>(() => study.AddTrialAsync(new TrialRequest
        {
            Parameters = Point.ToImmutableDictionary(),
            Measurements = [curve[0], Measurement.Of("loss", double.NaN, steps: 2)],
            InfeasibleReason = "diverged",
        }));
        Assert.Contains("measurements[1]", notFinite.Message);
        Assert.Equal([1L], (await study.ListTrialsAsync()).Select(t => t.Id));
    }
}
