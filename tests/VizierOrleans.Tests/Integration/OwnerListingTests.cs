using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class OwnerListingTests(ClusterFixture fixture)
{
    private readonly VizierClient _client = fixture.Client;

    private async Task<StudySummary?> SummaryAsync(string owner, string studyId) =>
        (await _client.ListStudySummariesAsync(owner)).Studies.SingleOrDefault(s => s.Study.StudyId == studyId);

    [Fact]
    public async Task The_owner_summary_follows_trial_counts_best_values_state_changes_and_deletes()
    {
        var owner = TestConfigs.UniqueId("o");
        var study = await _client.CreateOrLoadStudyAsync(owner, "tracked", TestConfigs.TwoFloats());
        var created = await SummaryAsync(owner, "tracked");
        Assert.NotNull(created);
        Assert.Equal((StudyState.Active, 0, AlgorithmNames.RandomSearch), (created.Study.State, created.TrialCount, created.Study.Config.Algorithm));
        Assert.Empty(created.Best);

        var trials = await study.SuggestAsync(3, "w");
        await trials[0].CompleteAsync(Measurement.Of("loss", 3));
        await trials[1].CompleteAsync(Measurement.Of("loss", 1.5));
        await trials[2].CompleteInfeasibleAsync("diverged");
        var counted = await Eventually.ReadAsync(() => SummaryAsync(owner, "tracked"), s => s!.TrialCount == 3 && s.Best.Count > 0);
        Assert.Equal(new Dictionary<TrialState, int> { [TrialState.Succeeded] = 2, [TrialState.Infeasible] = 1 }, counted!.TrialCounts);
        Assert.Equal(1.5, counted.Best["loss"]);

        // A better value moves the best; the trial asked for is ACTIVE meanwhile.
        var next = (await study.SuggestAsync(1, "w"))[0];
        await next.CompleteAsync(Measurement.Of("loss", -2));
        var improved = await Eventually.ReadAsync(() => SummaryAsync(owner, "tracked"), s => s!.Best["loss"] == -2);
        Assert.Equal((-2.0, 4), (improved!.Best["loss"], improved.TrialCount));

        // Deleting the best trial brings the best back to what is left.
        await next.DeleteAsync();
        var afterTrialDelete = await Eventually.ReadAsync(() => SummaryAsync(owner, "tracked"), s => s!.TrialCount == 3);
        Assert.Equal(1.5, afterTrialDelete!.Best["loss"]);

        await study.UpdateMetadataAsync(new MetadataItem("", "phase", "two"));
        var updated = await Eventually.ReadAsync(() => SummaryAsync(owner, "tracked"), s => s!.Study.Metadata.Get("", "phase") == "two");
        Assert.Equal("two", updated!.Study.Metadata.Get("", "phase"));

        // State changes and deletes are in the listing as soon as the call returns.
        await study.SetStateAsync(StudyState.Inactive);
        Assert.Equal(StudyState.Inactive, (await SummaryAsync(owner, "tracked"))!.Study.State);
        await study.SetStateAsync(StudyState.Completed);
        Assert.Equal(StudyState.Completed, (await SummaryAsync(owner, "tracked"))!.Study.State);

        await study.DeleteAsync();
        Assert.Empty((await _client.ListStudySummariesAsync(owner)).Studies);
        Assert.Empty(await _client.ListStudiesAsync(owner));
    }

    [Fact]
    public async Task A_study_that_completes_its_budget_is_listed_completed()
    {
        var owner = TestConfigs.UniqueId("o");
        var study = await _client.CreateOrLoadStudyAsync(owner, "budget", TestConfigs.TwoFloats(maxTrials: 2));
        foreach (var t in await study.SuggestAsync(2, "w"))
        {
            await t.CompleteAsync(Measurement.Of("loss", t.Id));
        }

        var summary = await SummaryAsync(owner, "budget");
        Assert.Equal(StudyState.Completed, summary!.Study.State);
        Assert.Equal(2, summary.TrialCounts[TrialState.Succeeded]);
        Assert.Equal(1, summary.Best["loss"]);
    }

    [Fact]
    public async Task Paging_returns_every_study_exactly_once_while_other_studies_come_and_go()
    {
        var owner = TestConfigs.UniqueId("o");
        var ids = Enumerable.Range(0, 23).Select(i => $"p{i:D2}").ToList();
        foreach (var id in ids)
        {
            await _client.CreateOrLoadStudyAsync(owner, id, TestConfigs.TwoFloats());
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _client.ListStudySummariesAsync(owner, token, pageSize: 5);
            Assert.True(page.Studies.Count <= 5);
            seen.AddRange(page.Studies.Select(s => s.Study.StudyId));
            token = page.NextPageToken;

            // Studies created and deleted between pages, before and after where the paging is.
            await _client.CreateOrLoadStudyAsync(owner, $"a{pages}", TestConfigs.TwoFloats());
            await _client.CreateOrLoadStudyAsync(owner, $"z{pages}", TestConfigs.TwoFloats());
            await _client.Study(owner, $"z{pages}").DeleteAsync();
            pages++;
        }
        while (token is not null);

        Assert.Equal(ids, seen);
        Assert.Equal(5, pages);
        Assert.Equal(ids.Count + pages, (await _client.ListStudiesAsync(owner)).Count);
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => _client.ListStudySummariesAsync(owner, null, -1));
        Assert.Contains("pageSize", e.Message);
    }

    [Fact]
    public async Task An_older_or_repeated_summary_update_never_overwrites_a_newer_one()
    {
        var owner = TestConfigs.UniqueId("o");
        var grain = fixture.Cluster.Client.GetGrain<IOwnerGrain>(owner);
        StudySummaryUpdate Update(long version, StudyState? state, bool provisional = false) => new()
        {
            StudyId = "hand-made",
            Version = version,
            Provisional = provisional,
            Summary = state is { } s
                ? new StudySummary { Study = new StudyInfo { Name = ResourceNames.Study(owner, "hand-made"), Config = TestConfigs.TwoFloats(), State = s } }
                : null,
        };

        // Announced, not yet confirmed: kept but not listed.
        Assert.Equal(10, await grain.PublishAsync(Update(10, StudyState.Active, provisional: true)));
        Assert.Empty((await grain.ListStudiesAsync(null, 0)).Studies);

        Assert.Equal(20, await grain.PublishAsync(Update(20, StudyState.Inactive)));
        Assert.Equal(20, await grain.PublishAsync(Update(20, StudyState.Inactive)));
        Assert.Equal(20, await grain.PublishAsync(Update(15, StudyState.Active)));
        Assert.Equal(StudyState.Inactive, (await grain.ListStudiesAsync(null, 0)).Studies.Single().Study.State);

        // A removal wins over older updates that arrive after it.
        Assert.Equal(30, await grain.PublishAsync(Update(30, null)));
        Assert.Equal(30, await grain.PublishAsync(Update(25, StudyState.Active)));
        Assert.Empty((await grain.ListStudiesAsync(null, 0)).Studies);
        Assert.Equal(31, await grain.PublishAsync(Update(31, StudyState.Active)));
        Assert.Single((await grain.ListStudiesAsync(null, 0)).Studies);
    }
}
