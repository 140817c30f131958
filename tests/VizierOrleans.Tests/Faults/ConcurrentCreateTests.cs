using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Faults;

/// <summary>Trials added by hand from many callers at once (imports and copies run CreateTrial in parallel), applied in batches.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class ConcurrentCreateTests(FaultClusterFixture fixture)
{
    private static readonly Measurement Loss1 = Measurement.Of("loss", 1);

    private static Dictionary<string, ParameterValue> Point(int i) => new() { ["x"] = i / 1000.0, ["y"] = 1.0 };

    private Task<StudyHandle> NewStudyAsync(int? maxTrials = null) =>
        fixture.Client.CreateOrLoadStudyAsync("creates", TestConfigs.UniqueId(), TestConfigs.TwoFloats(maxTrials: maxTrials));

    [Fact]
    public async Task Trials_created_at_once_get_every_id_from_one_up_once_and_are_all_stored()
    {
        var study = await NewStudyAsync();
        var created = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => study.AddCompletedTrialAsync(Point(i), Measurement.Of("loss", i))));

        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), created.Select(t => t.Id).Order());
        var stored = await study.ListTrialsAsync();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), stored.Select(t => t.Id));
        Assert.All(stored, t => Assert.Equal(TrialState.Succeeded, t.State));

        // Each trial keeps its own caller's parameters and measurement.
        foreach (var t in stored)
        {
            var x = t.Parameters["x"].AsDouble();
            Assert.Equal(x * 1000, t.FinalMeasurement!.Metrics["loss"], 6);
        }
    }

    [Fact]
    public async Task Trials_created_at_once_beyond_the_budget_are_refused_and_the_budget_completes_the_study()
    {
        var study = await NewStudyAsync(maxTrials: 20);
        var calls = Enumerable.Range(0, 50).Select(i => study.AddCompletedTrialAsync(Point(i), Loss1)).ToList();
        try
        {
            await Task.WhenAll(calls);
        }
        catch (FailedPreconditionException)
        {
        }

        Assert.Equal(20, calls.Count(c => c.IsCompletedSuccessfully));
        Assert.All(calls.Where(c => !c.IsCompletedSuccessfully), c => Assert.IsType<FailedPreconditionException>(c.Exception!.InnerException));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), (await study.ListTrialsAsync()).Select(t => t.Id));
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);
    }

    [Fact]
    public async Task Calls_with_one_request_key_at_once_create_one_trial_and_all_return_it()
    {
        var study = await NewStudyAsync();
        var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => study.RequestTrialAsync(Point(5), requestKey: "import-5")));

        Assert.All(created, t => Assert.Equal(1, t.Id));
        Assert.Single(await study.ListTrialsAsync());
    }

    [Fact]
    public async Task A_bad_trial_among_trials_created_at_once_fails_alone_naming_the_parameter()
    {
        var study = await NewStudyAsync();
        var bad = new Dictionary<string, ParameterValue> { ["x"] = 0.5, ["y"] = 1.0, ["nope"] = 1.0 };
        var calls = Enumerable.Range(0, 30).Select(i => i == 10 ? study.RequestTrialAsync(bad) : study.RequestTrialAsync(Point(i))).ToList();
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => calls[10]);
        Assert.Contains("nope", e.Message);

        await Task.WhenAll(calls.Where((_, i) => i != 10));
        Assert.Equal(Enumerable.Range(1, 29).Select(i => (long)i), (await study.ListTrialsAsync()).Select(t => t.Id));
    }

    [Fact]
    public async Task A_failed_write_among_trials_created_at_once_fails_only_its_caller_and_its_id_is_never_reused()
    {
        var study = await NewStudyAsync();
        StorageFaults.FailOnce(ResourceNames.Trial(study.Name, 3), StorageOperation.Write);
        var once = new VizierClient(fixture.Cluster.Client) { RetryBudget = TimeSpan.Zero }.Study(study.Name);
        var calls = Enumerable.Range(0, 10).Select(i => once.RequestTrialAsync(Point(i))).ToList();
        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception)
        {
        }

        Assert.Equal(1, calls.Count(c => !c.IsCompletedSuccessfully));
        var stored = (await study.ListTrialsAsync()).Select(t => t.Id).ToList();
        Assert.Equal([1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L, 10L], stored);
        Assert.Equal(11, (await study.RequestTrialAsync(Point(11))).Id);
    }
}
