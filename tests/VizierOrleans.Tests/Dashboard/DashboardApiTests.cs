using StudySummary = VizierOrleans.Dashboard.Api.StudySummary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Core.Internal;
using VizierOrleans.Dashboard.Api;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class DashboardApiTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Studies_list_filters_by_owner_state_algorithm_and_id_and_pages()
    {
        for (var i = 0; i < 5; i++)
        {
            await fixture.StudyWithTrialsAsync("list-owner", $"study-{i}", count: i);
        }

        await Study("list-owner", "study-0").SetStateAsync(StudyState.Inactive);

        // Counts come from the owner's summaries, which lag the studies by up to their summary interval.
        var all = await Eventually.ReadAsync(() => fixture.GetAsync<StudyPage>("/api/studies?owner=list-owner"), p => p.Studies.Sum(s => s.TrialCounts["TOTAL"]) == 10);
        Assert.Equal(5, all.Total);
        Assert.Contains("list-owner", all.Owners);
        Assert.Equal([4, 3, 2, 1, 0], all.Studies.Select(s => s.TrialCounts["TOTAL"]));
        Assert.Equal(3, all.Studies[1].TrialCounts["SUCCEEDED"]);
        Assert.Equal(1, all.Studies[1].Best["loss"]);
        Assert.Equal("RANDOM_SEARCH", all.Studies[0].Algorithm);

        var inactive = await fixture.GetAsync<StudyPage>("/api/studies?owner=list-owner&state=INACTIVE");
        Assert.Equal(["study-0"], inactive.Studies.Select(s => s.StudyId));
        Assert.Equal(5, (await fixture.GetAsync<StudyPage>("/api/studies?owner=list-owner&algorithm=random_search")).Total);
        Assert.Equal(0, (await fixture.GetAsync<StudyPage>("/api/studies?owner=list-owner&algorithm=NSGA2")).Total);
        Assert.Equal(["study-3"], (await fixture.GetAsync<StudyPage>("/api/studies?owner=list-owner&search=dy-3")).Studies.Select(s => s.StudyId));

        var page2 = await fixture.GetAsync<StudyPage>("/api/studies?owner=list-owner&pageSize=2&page=2");
        Assert.Equal(5, page2.Total);
        Assert.Equal(["study-2", "study-1"], page2.Studies.Select(s => s.StudyId));
    }

    [Fact]
    public async Task Studies_list_shows_counts_and_best_values_without_activating_a_study()
    {
        await fixture.StudyWithTrialsAsync("idle-owner", "a", count: 3, value: i => 10 - i);
        await fixture.StudyWithTrialsAsync("idle-owner", "b", count: 2);
        // Waited for through the client, not the dashboard, so that the dashboard has read nothing of these studies.
        await Eventually.ReadAsync(() => fixture.Client.ListStudySummariesAsync("idle-owner"), p => p.Studies.Sum(s => s.TrialCount) == 5);

        // Both studies deactivate (flushing their summaries); listing them must not bring either back.
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        var before = await StudyActivationsAsync(management);
        foreach (var id in new[] { "a", "b" })
        {
            await Study("idle-owner", id).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        }

        var idle = await Eventually.ReadAsync(() => StudyActivationsAsync(management), n => n == before - 2);
        Assert.Equal(before - 2, idle);

        var listed = await fixture.GetAsync<StudyPage>("/api/studies?owner=idle-owner");

        Assert.Equal(["b", "a"], listed.Studies.Select(s => s.StudyId));
        Assert.Equal([2, 3], listed.Studies.Select(s => s.TrialCounts["SUCCEEDED"]));
        Assert.Equal([2, 3], listed.Studies.Select(s => s.TrialCounts["TOTAL"]));
        Assert.Equal([0, 0], listed.Studies.Select(s => s.TrialCounts["ACTIVE"]));
        Assert.Equal([1.0, 7.0], listed.Studies.Select(s => s.Best["loss"]));
        Assert.Equal(idle, await StudyActivationsAsync(management));
    }

    [Fact]
    public async Task Trial_table_filters_sorts_and_pages()
    {
        await fixture.StudyWithTrialsAsync("table-owner", "t", count: 300, value: i => 1000 - i);
        const string trials = "/api/studies/table-owner/t/trials";

        var first = await fixture.GetAsync<TrialPage>($"{trials}?pageSize=100");
        Assert.Equal(300, first.Total);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), first.Trials.Select(t => t.Id));

        var last = await fixture.GetAsync<TrialPage>($"{trials}?pageSize=100&page=3&sort=metric:loss&order=desc");
        Assert.Equal(Enumerable.Range(201, 100).Reverse().Select(i => (long)i), last.Trials.Select(t => t.Id).Reverse());
        Assert.Empty((await fixture.GetAsync<TrialPage>($"{trials}?pageSize=100&page=4")).Trials);

        var kindA = await fixture.GetAsync<TrialPage>($"{trials}?param=kind:a&pageSize=1000");
        Assert.Equal(150, kindA.Total);
        Assert.All(kindA.Trials, t => Assert.Equal(0, t.Id % 2));

        // x = (i % 100) / 100 in [0.1, 0.2] and loss = 1000 - i in [800, 900]: i in 100..200 with i % 100 in 10..20.
        var ranged = await fixture.GetAsync<TrialPage>($"{trials}?param=x:0.1:0.2&metric=loss:800:900&pageSize=1000");
        Assert.Equal(Enumerable.Range(110, 11).Select(i => (long)i), ranged.Trials.Select(t => t.Id));

        var openBound = await fixture.GetAsync<TrialPage>($"{trials}?metric=loss::702&sort=param:x");
        Assert.Equal(3, openBound.Total);
        Assert.Equal([300L, 298L, 299L], openBound.Trials.Select(t => t.Id));

        Assert.Equal(300, (await fixture.GetAsync<TrialPage>($"{trials}?state=SUCCEEDED,INFEASIBLE")).Total);
        Assert.Equal(0, (await fixture.GetAsync<TrialPage>($"{trials}?state=ACTIVE")).Total);
        Assert.Equal(0, (await fixture.GetAsync<TrialPage>($"{trials}?client=nobody")).Total);
    }

    [Theory]
    [InlineData("trials?pageSize=0", "pageSize")]
    [InlineData("trials?pageSize=1001", "pageSize")]
    [InlineData("trials?page=x", "page")]
    [InlineData("trials?state=DONE", "state")]
    [InlineData("trials?sort=param:nope", "sort")]
    [InlineData("trials?order=up", "order")]
    [InlineData("trials?param=nope:0:1", "param")]
    [InlineData("trials?param=x:a:1", "param")]
    [InlineData("trials?param=kind:c", "param")]
    [InlineData("trials?metric=accuracy:0:1", "metric")]
    [InlineData("curves?metric=accuracy", "metric")]
    [InlineData("importance?objective=accuracy", "objective")]
    public async Task Bad_query_is_a_400_that_names_the_field(string query, string field)
    {
        await fixture.StudyWithTrialsAsync("bad-owner", "b", count: 3);
        var response = await fixture.Http.GetAsync($"/api/studies/bad-owner/b/{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<ApiError>())!;
        Assert.Equal(field, error.Field);
        Assert.Contains(field, error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_study_or_trial_is_a_404_and_a_bad_study_list_query_names_the_field()
    {
        await fixture.StudyWithTrialsAsync("missing-owner", "m", count: 2);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync("/api/studies/missing-owner/nope/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync("/api/studies/missing-owner/m/trials/99")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync("/api/studies/missing-owner/nope/trials")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync("/api/studies/missing-owner/nope/export.csv")).StatusCode);
        var response = await fixture.Http.GetAsync("/api/studies?state=RUNNING");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("state", (await response.Content.ReadFromJsonAsync<ApiError>())!.Field);
    }

    [Fact]
    public async Task Study_detail_has_the_conditional_search_space_and_trial_detail_has_measurements()
    {
        var config = new StudyConfig
        {
            Parameters = [ParameterConfig.Categorical("model", "linear", "tree").WithChild(ParameterConfig.Integer("depth", 1, 8), "tree")],
            Metrics = [MetricConfig.Objective("acc", MetricGoal.Maximize), new MetricConfig { Name = "latency", Goal = MetricGoal.Minimize, SafetyThreshold = 10 }],
            Algorithm = AlgorithmNames.RandomSearch,
            MaxTrials = 50,
            Stopping = new StoppingConfig { Rule = StoppingRule.Median, MinSteps = 2 },
        };
        var study = await fixture.Client.CreateOrLoadStudyAsync("detail-owner", "d", config);
        var trial = (await study.SuggestAsync(1, "worker-7"))[0];
        await trial.AddMeasurementAsync(Measurement.Of("acc", 0.5, steps: 1));
        await trial.CompleteAsync(Measurement.Of([new("acc", 0.9), new("latency", 12.0)], steps: 2));

        var detail = await fixture.GetAsync<JsonElement>("/api/studies/detail-owner/d/");
        var model = detail.GetProperty("config").GetProperty("parameters")[0];
        Assert.Equal("model", model.GetProperty("name").GetString());
        Assert.Equal("depth", model.GetProperty("children")[0].GetProperty("parameter").GetProperty("name").GetString());
        Assert.Equal("tree", model.GetProperty("children")[0].GetProperty("parentValues")[0].GetProperty("text").GetString());
        Assert.Equal("MEDIAN", detail.GetProperty("config").GetProperty("stopping").GetProperty("rule").GetString());
        Assert.Equal(50, detail.GetProperty("config").GetProperty("maxTrials").GetInt32());
        Assert.Equal(10, detail.GetProperty("config").GetProperty("metrics")[1].GetProperty("safetyThreshold").GetDouble());

        var full = await fixture.GetAsync<TrialDetail>($"/api/studies/detail-owner/d/trials/{trial.Id}");
        Assert.Equal("worker-7", full.Row.ClientId);
        Assert.Equal(TrialState.Succeeded, full.Row.State);
        Assert.True(full.Row.Unsafe);
        Assert.Equal(0.5, Assert.Single(full.Measurements).Metrics["acc"]);
        Assert.Equal(0.9, full.FinalMeasurement!.Metrics["acc"]);
        Assert.NotNull(full.Row.StartTime);
        Assert.NotNull(full.Row.EndTime);
    }

    [Fact]
    public async Task Set_state_changes_the_study_and_a_bad_state_names_the_field_and_changes_nothing()
    {
        await fixture.StudyWithTrialsAsync("state-owner", "s", count: 1);
        var bad = await fixture.Http.PostAsJsonAsync("/api/studies/state-owner/s/state", new { state = "PAUSED" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("state", (await bad.Content.ReadFromJsonAsync<ApiError>())!.Field);
        Assert.Equal(StudyState.Active, (await Study("state-owner", "s").GetAsync()).State);

        var ok = await fixture.Http.PostAsJsonAsync("/api/studies/state-owner/s/state", new { state = "INACTIVE" });
        ok.EnsureSuccessStatusCode();
        Assert.Equal(StudyState.Inactive, (await ok.Content.ReadFromJsonAsync<StudySummary>(DashboardFixture.Json))!.State);
        Assert.Equal(StudyState.Inactive, (await Study("state-owner", "s").GetAsync()).State);
    }

    [Fact]
    public async Task Delete_removes_the_study_and_its_trials()
    {
        await fixture.StudyWithTrialsAsync("delete-owner", "gone", count: 3);
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Http.DeleteAsync("/api/studies/delete-owner/gone/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync("/api/studies/delete-owner/gone/")).StatusCode);
        Assert.Empty(await fixture.Client.ListStudiesAsync("delete-owner"));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.DeleteAsync("/api/studies/delete-owner/gone/")).StatusCode);
    }

    [Fact]
    public async Task Exports_hold_every_trial_as_csv_and_json()
    {
        await fixture.StudyWithTrialsAsync("export-owner", "e", count: 4, value: i => i / 4.0);
        var csv = await fixture.Http.GetAsync("/api/studies/export-owner/e/export.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,state,client_id,create_time,start_time,end_time,param:x,param:y,param:kind,metric:loss,infeasible_reason,stopping_reason", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("2,SUCCEEDED,,", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(",0.02,0.05405405405405406,a,0.5,,", lines[2], StringComparison.Ordinal);

        var json = await fixture.Http.GetAsync("/api/studies/export-owner/e/export.json");
        Assert.Contains("attachment", json.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        var trials = (await json.Content.ReadFromJsonAsync<List<TrialDetail>>(DashboardFixture.Json))!;
        Assert.Equal([1L, 2, 3, 4], trials.Select(t => t.Row.Id));
        Assert.Equal(0.75, trials[2].FinalMeasurement!.Metrics["loss"]);
    }

    [Fact]
    public async Task Importance_ranks_the_parameter_that_drives_the_objective_first_and_names_the_method()
    {
        // loss depends on x = (i % 100) / 100 only.
        await fixture.StudyWithTrialsAsync("importance-owner", "imp", count: 400, value: i => (i % 100) / 100.0);
        var result = await fixture.GetAsync<ParameterImportances>("/api/studies/importance-owner/imp/importance");
        Assert.Contains("variance", result.Method, StringComparison.Ordinal);
        Assert.Equal(400, result.TrialCount);
        Assert.Equal("x", result.Parameters[0].Parameter);
        Assert.True(result.Parameters[0].VarianceExplained > 0.9, $"x explains {result.Parameters[0].VarianceExplained}");
        Assert.All(result.Parameters.Skip(1), p => Assert.True(p.VarianceExplained < 0.1, $"{p.Parameter} explains {p.VarianceExplained}"));
        Assert.Equal(1, result.Parameters.Sum(p => p.Importance), 6);
    }

    [Fact]
    public async Task Points_mark_the_pareto_front_of_a_two_objective_study()
    {
        var study = await fixture.Client.CreateOrLoadStudyAsync("pareto-owner", "p", TwoObjectives);
        await AddTwoObjectiveTrialsAsync(study);
        var points = await fixture.GetAsync<StudyPoints>("/api/studies/pareto-owner/p/points");
        Assert.Equal([1L, 2, 3, 4, 5], points.Ids);
        Assert.Equal([1L, 2, 3], points.Optimal);
        Assert.Equal([1.0, 2, 3, 1.5, 2.5], points.Metrics["f1"].Select(v => v!.Value));
        Assert.Equal(["a", "b"], points.Categories["kind"]);
        Assert.Equal([0.0, 1, 0, 1, 0], points.Parameters["kind"].Select(v => v!.Value));
    }

    [Fact]
    public async Task Curves_carry_intermediate_values_and_mark_stopped_trials()
    {
        var study = await fixture.Client.CreateOrLoadStudyAsync("curves-owner", "c", new StudyConfig
        {
            Parameters = [ParameterConfig.Double("x", 0, 1)],
            Metrics = [MetricConfig.Objective("acc", MetricGoal.Maximize)],
            Algorithm = AlgorithmNames.RandomSearch,
        });
        var trials = await study.SuggestAsync(2, "w");
        foreach (var t in trials)
        {
            await t.AddMeasurementAsync(Measurement.Of("acc", 0.1, steps: 1));
            await t.AddMeasurementAsync(Measurement.Of("acc", 0.2, steps: 2));
        }

        await Study("curves-owner", "c").StopTrialAsync(trials[1].Id);
        var curves = await fixture.GetAsync<LearningCurves>("/api/studies/curves-owner/c/curves");
        Assert.Equal("acc", curves.Metric);
        Assert.Equal(2, curves.Total);
        Assert.Equal([false, true], curves.Curves.Select(c => c.Stopped));
        Assert.Equal([1L, 2], curves.Curves[0].Steps);
        Assert.Equal([0.1, 0.2], curves.Curves[0].Values);
    }

    [Fact]
    public async Task With_keys_the_api_needs_one_and_shows_only_its_owners()
    {
        await fixture.StudyWithTrialsAsync("owner-a", "mine", count: 1);
        await fixture.StudyWithTrialsAsync("owner-b", "theirs", count: 1);
        using var http = new HttpClient { BaseAddress = new Uri(fixture.KeyedUrl) };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/studies")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(http, HttpMethod.Get, "/api/studies", "wrong-key")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/events")).StatusCode);

        var mine = await (await Send(http, HttpMethod.Get, "/api/studies", DashboardFixture.KeyForOwnerA)).Content.ReadFromJsonAsync<StudyPage>(DashboardFixture.Json);
        Assert.Equal(["owner-a"], mine!.Owners);
        Assert.Contains("mine", mine.Studies.Select(s => s.StudyId));
        Assert.All(mine.Studies, s => Assert.Equal("owner-a", s.Owner));

        var other = await Send(http, HttpMethod.Get, "/api/studies/owner-b/theirs/trials", DashboardFixture.KeyForOwnerA);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("owner", (await other.Content.ReadFromJsonAsync<ApiError>())!.Field);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(http, HttpMethod.Delete, "/api/studies/owner-b/theirs/", DashboardFixture.KeyForOwnerA)).StatusCode);
        Assert.Contains("theirs", (await fixture.Client.ListStudiesAsync("owner-b")).Select(s => s.StudyId));
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(http, HttpMethod.Get, "/api/studies?owner=owner-b", DashboardFixture.KeyForOwnerA)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(http, HttpMethod.Get, "/api/studies/owner-a/mine/trials", DashboardFixture.KeyForOwnerA)).StatusCode);

        var all = await (await Send(http, HttpMethod.Get, "/api/studies", DashboardFixture.KeyForAll)).Content.ReadFromJsonAsync<StudyPage>(DashboardFixture.Json);
        Assert.Contains("owner-b", all!.Owners);
        Assert.Equal(HttpStatusCode.OK, (await Send(http, HttpMethod.Get, "/api/studies/owner-b/theirs/trials", DashboardFixture.KeyForAll)).StatusCode);

        // The page itself carries no data and loads without a key; it asks for one when the API answers 401.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Event_feed_sends_a_completion_and_with_a_key_only_its_owners_events()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.KeyedUrl), Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Add("x-vizier-api-key", DashboardFixture.KeyForOwnerA);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var hidden = await fixture.Client.CreateOrLoadStudyAsync("owner-b", "events-hidden", TwoObjectives);
        await hidden.AddCompletedTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 0.5, ["kind"] = "a" }, Measurement.Of([new("f1", 1.0), new("f2", 1.0)]));
        var seen = await fixture.Client.CreateOrLoadStudyAsync("owner-a", "events-seen", TwoObjectives);
        var trial = (await seen.SuggestAsync(1, "feed-worker"))[0];
        await trial.CompleteAsync(Measurement.Of([new("f1", 1.0), new("f2", 2.0)]));

        var events = new List<(string Kind, JsonElement Data)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? kind = null;
        while (!events.Any(e => e.Kind == "TRIAL_COMPLETED"))
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                break;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((kind!, JsonDocument.Parse(line[6..]).RootElement));
            }
        }

        Assert.All(events, e => Assert.Equal("owners/owner-a/studies/events-seen", e.Data.GetProperty("study").GetString()));
        Assert.Equal(["STUDY_CREATED", "TRIAL_CREATED", "TRIAL_COMPLETED"], events.Select(e => e.Kind).Where(k => k != "TRIAL_ACTIVATED"));
        var completed = events.Single(e => e.Kind == "TRIAL_COMPLETED").Data.GetProperty("trial");
        Assert.Equal(trial.Id, completed.GetProperty("id").GetInt64());
        Assert.Equal("SUCCEEDED", completed.GetProperty("state").GetString());
        Assert.Equal(2.0, completed.GetProperty("metrics").GetProperty("f2").GetDouble());
    }

    [Fact]
    public async Task Openapi_document_describes_every_endpoint()
    {
        var document = await fixture.GetAsync<JsonElement>("/api/openapi/dashboard.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] expected =
        [
            "/api/studies", "/api/studies/{owner}/{studyId}", "/api/studies/{owner}/{studyId}/state", "/api/studies/{owner}/{studyId}/trials",
            "/api/studies/{owner}/{studyId}/trials/{trialId}", "/api/studies/{owner}/{studyId}/points", "/api/studies/{owner}/{studyId}/curves",
            "/api/studies/{owner}/{studyId}/importance", "/api/studies/{owner}/{studyId}/export.csv", "/api/studies/{owner}/{studyId}/export.json", "/api/events",
        ];
        Assert.All(expected, p => Assert.Contains(p, paths));
        Assert.True(document.GetProperty("paths").GetProperty("/api/studies/{owner}/{studyId}").TryGetProperty("delete", out _));
    }

    internal static readonly StudyConfig TwoObjectives = new()
    {
        Parameters = [ParameterConfig.Double("x", 0, 1), ParameterConfig.Categorical("kind", "a", "b")],
        Metrics = [MetricConfig.Objective("f1", MetricGoal.Minimize), MetricConfig.Objective("f2", MetricGoal.Minimize)],
        Algorithm = AlgorithmNames.RandomSearch,
    };

    /// <summary>Five trials, both objectives minimized: 1, 2 and 3 are the front; 4 is dominated by 1 and 5 by 2.</summary>
    internal static async Task AddTwoObjectiveTrialsAsync(global::VizierOrleans.ClientGateway.StudyHandle study)
    {
        (double F1, double F2)[] values = [(1, 3), (2, 2), (3, 1), (1.5, 3.5), (2.5, 2.5)];
        for (var i = 0; i < values.Length; i++)
        {
            await study.AddCompletedTrialAsync(
                new Dictionary<string, ParameterValue> { ["x"] = i / 10.0, ["kind"] = i % 2 == 0 ? "a" : "b" },
                Measurement.Of([new("f1", values[i].F1), new("f2", values[i].F2)]));
        }
    }

    private IStudyGrain Study(string owner, string studyId) => fixture.Cluster.Client.GetGrain<IStudyGrain>(ResourceNames.Study(owner, studyId));

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string key)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-vizier-api-key", key);
        return http.SendAsync(request);
    }

    private static async Task<int> StudyActivationsAsync(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.StartsWith("VizierOrleans.Grains.StudyGrain,", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
}
