using System.Collections.Immutable;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class TrialPagingTests(ClusterFixture fixture)
{
    private static Dictionary<string, ParameterValue> Point(double x) => new() { ["x"] = x, ["y"] = -x };

    [Fact]
    public async Task Paging_by_the_last_id_returns_every_trial_exactly_once_while_trials_are_added()
    {
        var study = await fixture.Client.CreateOrLoadStudyAsync("paging", TestConfigs.UniqueId(), TestConfigs.TwoFloats());
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => study.AddCompletedTrialAsync(Point(i / 100.0), Measurement.Of("loss", i))));
        await study.Trial(13).DeleteAsync();
        var before = (await study.ListTrialsAsync()).Select(t => t.Id).ToList();

        // Trials are added during the paging (a concurrent writer) and between page calls (ids the paging must still reach).
        var adding = Task.Run(() => Task.WhenAll(Enumerable.Range(0, 40).Select(_ => study.AddCompletedTrialAsync(Point(0.5), Measurement.Of("loss", 1)))));
        var addedBetween = new List<long>();
        var paged = new List<long>();
        var pages = 0;
        for (ImmutableList<Trial> page; (page = await study.ListTrialsAsync(new TrialFilter { AfterId = paged.LastOrDefault(), MaxCount = 7 })).Count > 0; pages++)
        {
            Assert.True(page.Count <= 7);
            paged.AddRange(page.Select(t => t.Id));
            if (pages < 5)
            {
                addedBetween.Add((await study.AddCompletedTrialAsync(Point(0.25), Measurement.Of("loss", 2))).Id);
            }
        }

        await adding;
        Assert.True(pages > 8, $"{pages} pages");
        Assert.Equal(paged.Distinct().Order(), paged);
        Assert.Empty(before.Except(paged));
        Assert.Empty(addedBetween.Except(paged));
        Assert.DoesNotContain(13L, paged);
        Assert.Empty(paged.Except((await study.ListTrialsAsync()).Select(t => t.Id)));
    }

    [Fact]
    public async Task ListTrials_filters_by_state_and_client_id_within_a_page()
    {
        var study = await fixture.Client.CreateOrLoadStudyAsync("paging", TestConfigs.UniqueId(), TestConfigs.TwoFloats());
        var a = await study.SuggestAsync(3, "worker-a");
        var b = await study.SuggestAsync(2, "worker-b");
        await a[0].CompleteAsync(Measurement.Of("loss", 1));
        await a[1].CompleteAsync(Measurement.Of("loss", 2));
        await b[0].CompleteInfeasibleAsync("nan");
        await study.RequestTrialAsync(Point(0.1));

        async Task<long[]> Ids(TrialFilter filter) => [.. (await study.ListTrialsAsync(filter)).Select(t => t.Id)];
        Assert.Equal(new long[] { 1L, 2L, 3L }, await Ids(new TrialFilter { ClientId = "worker-a" }));
        Assert.Equal(new long[] { 3L }, await Ids(new TrialFilter { ClientId = "worker-a", States = [TrialState.Active] }));
        Assert.Equal(new long[] { 2L }, await Ids(new TrialFilter { ClientId = "worker-a", States = [TrialState.Succeeded], AfterId = 1 }));
        Assert.Equal(new long[] { 1L }, await Ids(new TrialFilter { ClientId = "worker-a", MaxCount = 1 }));
        Assert.Equal(new long[] { 4L, 5L }, await Ids(new TrialFilter { ClientId = "worker-b" }));
        Assert.Equal(new long[] { 3L, 5L, 6L }, await Ids(new TrialFilter { States = [TrialState.Active, TrialState.Requested] }));
        Assert.Empty(await Ids(new TrialFilter { ClientId = "nobody" }));
        Assert.Empty(await Ids(new TrialFilter { AfterId = long.MaxValue }));

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => study.ListTrialsAsync(new TrialFilter { MaxCount = -1 }));
        Assert.Contains("TrialFilter.MaxCount", e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => study.ListOptimalTrialsAsync(new TrialFilter { AfterId = -5 }));
        Assert.Contains("TrialFilter.AfterId", e.Message);
    }

    [Fact]
    public async Task ListOptimalTrials_pages_the_pareto_front_in_id_order()
    {
        var config = TestConfigs.TwoFloats() with
        {
            Metrics = [MetricConfig.Objective("error", MetricGoal.Minimize), MetricConfig.Objective("speed", MetricGoal.Maximize)],
        };
        var study = await fixture.Client.CreateOrLoadStudyAsync("paging", TestConfigs.UniqueId(), config);

        // Ids 1..9: error i and speed i trade off (all on the front); id 10 is dominated by id 5.
        foreach (var i in Enumerable.Range(1, 9))
        {
            await study.AddCompletedTrialAsync(Point(i / 10.0), Measurement.Of([new("error", i), new("speed", i)]));
        }

        await study.AddCompletedTrialAsync(Point(0), Measurement.Of([new("error", 6), new("speed", 4)]));
        var whole = (await study.ListOptimalTrialsAsync()).Select(t => t.Id).ToList();
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), whole);

        var paged = new List<long>();
        for (ImmutableList<Trial> page; (page = await study.ListOptimalTrialsAsync(new TrialFilter { AfterId = paged.LastOrDefault(), MaxCount = 4 })).Count > 0;)
        {
            Assert.True(page.Count <= 4);
            paged.AddRange(page.Select(t => t.Id));
        }

        Assert.Equal(whole, paged);
    }
}
