using System.Collections.Immutable;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class StudyLifecycleTests(ClusterFixture fixture)
{
    private readonly VizierClient _client = fixture.Client;

    private Task<StudyHandle> NewStudyAsync(StudyConfig? config = null) =>
        _client.CreateOrLoadStudyAsync("alice", TestConfigs.UniqueId(), config ?? TestConfigs.TwoFloats());

    [Fact]
    public async Task CreateOrLoad_is_idempotent_and_refuses_a_different_config()
    {
        var id = TestConfigs.UniqueId();
        var first = await _client.CreateOrLoadStudyAsync("bob", id, TestConfigs.TwoFloats());
        var again = await _client.CreateOrLoadStudyAsync("bob", id, TestConfigs.TwoFloats());
        Assert.Equal(first.Name, again.Name);
        Assert.Equal($"owners/bob/studies/{id}", first.Name);

        var e = await Assert.ThrowsAsync<StudyConfigMismatchException>(() =>
            _client.CreateOrLoadStudyAsync("bob", id, TestConfigs.TwoFloats(maxTrials: 3)));
        Assert.Contains("maxTrials", e.Message);
        Assert.Equal(VizierErrorCode.AlreadyExists, e.Code);
        Assert.Null((await first.GetAsync()).Config.MaxTrials);

        var listed = await _client.ListStudiesAsync("bob");
        Assert.Contains(listed, s => s.Name == first.Name);
    }

    [Fact]
    public async Task Invalid_config_is_rejected_naming_the_field_and_creates_nothing()
    {
        var id = TestConfigs.UniqueId();
        var bad = TestConfigs.TwoFloats() with { Parameters = [ParameterConfig.Double("x", 3, 1)] };
        var e = await Assert.ThrowsAsync<InvalidStudyConfigException>(() => _client.CreateOrLoadStudyAsync("carol", id, bad));
        Assert.Equal("parameters[0].min", e.Field);
        await Assert.ThrowsAsync<NotFoundException>(() => _client.Study("carol", id).GetAsync());

        var unknown = TestConfigs.TwoFloats() with { Algorithm = "NO_SUCH_ALGORITHM" };
        var e2 = await Assert.ThrowsAsync<InvalidStudyConfigException>(() => _client.CreateOrLoadStudyAsync("carol", id, unknown));
        Assert.Equal("algorithm", e2.Field);
    }

    [Fact]
    public async Task Same_client_gets_its_active_trials_back_and_others_get_new_ones()
    {
        var study = await NewStudyAsync();
        var a1 = await study.SuggestAsync(2, "worker-a");
        Assert.Equal([1L, 2L], a1.Select(t => t.Id));
        Assert.All(a1, t => Assert.Equal(TrialState.Active, t.Snapshot.State));
        Assert.All(a1, t => Assert.Equal("worker-a", t.Snapshot.ClientId));

        // A crashed worker that comes back with the same id resumes its trials.
        var a2 = await study.SuggestAsync(2, "worker-a");
        Assert.Equal([1L, 2L], a2.Select(t => t.Id));
        Assert.Equal(a1[0].Parameters, a2[0].Parameters);

        var b = await study.SuggestAsync(1, "worker-b");
        Assert.Equal([3L], b.Select(t => t.Id));

        // Asking for more than it holds: its own trial first, then a new one.
        var a3 = await study.SuggestAsync(3, "worker-a");
        Assert.Equal([1L, 2L, 4L], a3.Select(t => t.Id));
    }

    [Fact]
    public async Task Requested_trials_are_served_before_new_ones()
    {
        var study = await NewStudyAsync();
        var requested = await study.RequestTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 1.5, ["y"] = -2.0 });
        Assert.Equal(1, requested.Id);
        Assert.Equal(TrialState.Requested, requested.Snapshot.State);
        Assert.Null(requested.Snapshot.ClientId);

        var got = await study.SuggestAsync(2, "worker-c");
        Assert.Equal([1L, 2L], got.Select(t => t.Id));
        Assert.Equal(1.5, got[0].GetDouble("x"));
        Assert.Equal(TrialState.Active, got[0].Snapshot.State);
        Assert.Equal("worker-c", got[0].Snapshot.ClientId);
        Assert.NotNull(got[0].Snapshot.StartTime);
    }

    [Fact]
    public async Task Surplus_suggestions_are_stored_as_requested_and_handed_to_the_next_worker()
    {
        var study = await NewStudyAsync(TestConfigs.TwoFloats(SurplusAlgorithm.Name));
        var first = await study.SuggestAsync(1, "w1");
        Assert.Equal([1L], first.Select(t => t.Id));
        var all = await study.ListTrialsAsync();
        Assert.Equal([(1L, TrialState.Active), (2L, TrialState.Requested), (3L, TrialState.Requested)], all.Select(t => (t.Id, t.State)));

        var second = await study.SuggestAsync(1, "w2");
        Assert.Equal([2L], second.Select(t => t.Id));
        Assert.Equal(all[1].Parameters, second[0].Parameters);
    }

    [Fact]
    public async Task Trial_state_machine_follows_the_design()
    {
        var study = await NewStudyAsync();
        var trial = (await study.SuggestAsync(1, "w"))[0];

        await Assert.ThrowsAsync<InvalidArgumentException>(() => trial.CompleteAsync());
        Assert.Equal(TrialState.Active, (await trial.MaterializeAsync()).State);

        await trial.AddMeasurementAsync(Measurement.Of("loss", 3.0, steps: 1));
        await trial.AddMeasurementAsync(Measurement.Of("loss", 2.0, steps: 2));
        var done = await trial.CompleteAsync();
        Assert.Equal(TrialState.Succeeded, done.State);
        Assert.Equal(2.0, done.FinalMeasurement!.Metrics["loss"]);
        Assert.Equal(2, done.FinalMeasurement.Steps);
        Assert.NotNull(done.EndTime);

        // A retried identical completion is accepted; a different second result is refused and changes nothing.
        Assert.Equal(TrialState.Succeeded, (await trial.CompleteAsync()).State);
        var twice = await Assert.ThrowsAsync<FailedPreconditionException>(() => trial.CompleteAsync(Measurement.Of("loss", 1.0)));
        Assert.Contains("trials/1", twice.Message);
        Assert.Equal(2.0, (await trial.MaterializeAsync()).FinalMeasurement!.Metrics["loss"]);
        await Assert.ThrowsAsync<FailedPreconditionException>(() => trial.AddMeasurementAsync(Measurement.Of("loss", 1.0)));

        // Stop on SUCCEEDED is a no-op.
        await trial.StopAsync();
        Assert.Equal(TrialState.Succeeded, trial.Snapshot.State);

        // REQUESTED: cannot complete, cannot stop.
        var queued = await study.RequestTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 0.0, ["y"] = 0.0 });
        await Assert.ThrowsAsync<FailedPreconditionException>(() => queued.CompleteAsync(Measurement.Of("loss", 1.0)));
        await Assert.ThrowsAsync<FailedPreconditionException>(() => queued.StopAsync());
        Assert.Equal(TrialState.Requested, (await queued.MaterializeAsync()).State);
    }

    [Fact]
    public async Task Stopping_trial_takes_measurements_and_completes()
    {
        var study = await NewStudyAsync();
        var trial = (await study.SuggestAsync(1, "w"))[0];
        Assert.False(await trial.ShouldStopAsync());
        await trial.StopAsync();
        Assert.Equal(TrialState.Stopping, trial.Snapshot.State);
        Assert.True(await trial.ShouldStopAsync());
        await trial.StopAsync();
        Assert.Equal(TrialState.Stopping, trial.Snapshot.State);

        // A STOPPING trial is not handed out again.
        var next = await study.SuggestAsync(1, "w");
        Assert.Equal([2L], next.Select(t => t.Id));

        await trial.AddMeasurementAsync(Measurement.Of("loss", 0.5, steps: 10));
        var done = await trial.CompleteAsync();
        Assert.Equal(TrialState.Succeeded, done.State);
        Assert.Equal(0.5, done.FinalMeasurement!.Metrics["loss"]);
    }

    [Fact]
    public async Task Infeasible_completion_needs_a_reason_and_cannot_be_stopped()
    {
        var study = await NewStudyAsync();
        var trial = (await study.SuggestAsync(1, "w"))[0];
        await Assert.ThrowsAsync<InvalidArgumentException>(() => trial.CompleteInfeasibleAsync(" "));
        var done = await trial.CompleteInfeasibleAsync("diverged");
        Assert.Equal(TrialState.Infeasible, done.State);
        Assert.Equal("diverged", done.InfeasibleReason);
        await Assert.ThrowsAsync<FailedPreconditionException>(() => trial.StopAsync());
    }

    [Theory]
    [InlineData("accuracy", double.NaN, "metric 'accuracy' (a metric the study does not declare) is NaN")]
    [InlineData("loss", double.NaN, "metric 'loss' (a metric of the study) is NaN")]
    [InlineData("loss", double.PositiveInfinity, "metric 'loss' (a metric of the study) is Infinity")]
    public async Task Bad_measurements_are_rejected_and_change_nothing(string metric, double value, string message)
    {
        var study = await NewStudyAsync();
        var trial = (await study.SuggestAsync(1, "w"))[0];
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => trial.AddMeasurementAsync(Measurement.Of(metric, value)));
        Assert.Contains(message, e.Message);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => trial.CompleteAsync(Measurement.Of(metric, value)));
        var stored = await trial.MaterializeAsync();
        Assert.Empty(stored.Measurements);
        Assert.Equal(TrialState.Active, stored.State);
    }

    [Fact]
    public async Task Warm_start_trials_must_fit_the_space()
    {
        var study = await NewStudyAsync();
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            study.AddCompletedTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 7.0, ["y"] = 0.0 }, Measurement.Of("loss", 1)));
        Assert.Contains("'x' = 7", e.Message);
        await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            study.AddCompletedTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 1.0 }, Measurement.Of("loss", 1)));
        Assert.Empty(await study.ListTrialsAsync());

        var imported = await study.AddCompletedTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 1.0, ["y"] = 2.0 }, Measurement.Of("loss", 0.25));
        Assert.Equal(1, imported.Id);
        Assert.Equal(TrialState.Succeeded, imported.Snapshot.State);
        var next = await study.SuggestAsync(1, "w");
        Assert.Equal(2, next[0].Id);
    }

    [Fact]
    public async Task Unknown_study_and_trial_are_not_found()
    {
        var missing = _client.Study("nobody", TestConfigs.UniqueId());
        var e = await Assert.ThrowsAsync<NotFoundException>(() => missing.GetAsync());
        Assert.Equal(VizierErrorCode.NotFound, e.Code);
        await Assert.ThrowsAsync<NotFoundException>(() => missing.SuggestAsync(1, "w"));

        var study = await NewStudyAsync();
        var trialError = await Assert.ThrowsAsync<NotFoundException>(() => study.Trial(42).MaterializeAsync());
        Assert.Equal($"{study.Name}/trials/42", trialError.Resource);
    }

    [Fact]
    public async Task Inactive_and_completed_studies_are_immutable_but_readable()
    {
        var study = await NewStudyAsync();
        var trial = (await study.SuggestAsync(1, "w"))[0];
        foreach (var frozen in new[] { StudyState.Inactive, StudyState.Completed })
        {
            await study.SetStateAsync(frozen);
            var result = await study.SuggestDetailedAsync(1, "w");
            Assert.Empty(result.Trials);
            Assert.Equal(frozen, result.StudyState);
            Assert.Contains(frozen.ToString().ToUpperInvariant(), result.Reason);

            await Assert.ThrowsAsync<FailedPreconditionException>(() => trial.CompleteAsync(Measurement.Of("loss", 1)));
            await Assert.ThrowsAsync<FailedPreconditionException>(() => trial.AddMeasurementAsync(Measurement.Of("loss", 1)));
            await Assert.ThrowsAsync<FailedPreconditionException>(() => trial.StopAsync());
            await Assert.ThrowsAsync<FailedPreconditionException>(() => study.RequestTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 0.0, ["y"] = 0.0 }));
            await Assert.ThrowsAsync<FailedPreconditionException>(() => study.UpdateMetadataAsync(new MetadataItem("", "k", "v")));
            await Assert.ThrowsAsync<FailedPreconditionException>(() => trial.UpdateMetadataAsync(new MetadataItem("", "k", "v")));

            Assert.Single(await study.ListTrialsAsync());
            Assert.Equal(TrialState.Active, (await trial.MaterializeAsync()).State);
            Assert.Equal(frozen, (await study.GetAsync()).State);
        }

        await study.SetStateAsync(StudyState.Active);
        Assert.Equal(TrialState.Succeeded, (await trial.CompleteAsync(Measurement.Of("loss", 1))).State);
    }

    [Fact]
    public async Task Optimal_trials_for_one_objective_include_all_ties()
    {
        var study = await NewStudyAsync();
        foreach (var loss in new[] { 3.0, 1.0, 2.0, 1.0 })
        {
            var t = (await study.SuggestAsync(1, "w"))[0];
            await t.CompleteAsync(Measurement.Of("loss", loss));
        }

        var infeasible = (await study.SuggestAsync(1, "w"))[0];
        await infeasible.CompleteInfeasibleAsync("crashed");
        var optimal = await study.ListOptimalTrialsAsync();
        Assert.Equal([2L, 4L], optimal.Select(t => t.Id));
    }

    [Fact]
    public async Task Optimal_trials_for_two_objectives_are_the_pareto_front_and_skip_unsafe_ones()
    {
        var config = TestConfigs.TwoFloats() with
        {
            Metrics =
            [
                MetricConfig.Objective("error", MetricGoal.Minimize),
                MetricConfig.Objective("speed", MetricGoal.Maximize),
                new MetricConfig { Name = "memory", Goal = MetricGoal.Minimize, SafetyThreshold = 100 },
            ],
        };
        var study = await NewStudyAsync(config);
        (double Error, double Speed, double Memory)[] results =
        [
            (1.0, 1.0, 10),  // 1: front
            (2.0, 3.0, 10),  // 2: front
            (2.0, 2.0, 10),  // 3: dominated by 2
            (0.5, 5.0, 500), // 4: would dominate all, but unsafe
            (3.0, 3.0, 10),  // 5: dominated by 2
            (1.0, 1.0, 10),  // 6: equal to 1, not dominated
        ];
        foreach (var (error, speed, memory) in results)
        {
            var t = (await study.SuggestAsync(1, "w"))[0];
            await t.CompleteAsync(Measurement.Of(new Dictionary<string, double> { ["error"] = error, ["speed"] = speed, ["memory"] = memory }));
        }

        var partial = (await study.SuggestAsync(1, "w"))[0];
        await partial.CompleteAsync(Measurement.Of("error", 0.1));
        var optimal = await study.ListOptimalTrialsAsync();
        Assert.Equal([1L, 2L, 6L], optimal.Select(t => t.Id));
    }

    [Fact]
    public async Task Trial_budget_completes_the_study()
    {
        var study = await NewStudyAsync(TestConfigs.TwoFloats(maxTrials: 3));
        var handed = await study.SuggestAsync(5, "w");
        Assert.Equal([1L, 2L, 3L], handed.Select(t => t.Id));
        var more = await study.SuggestDetailedAsync(1, "other");
        Assert.Empty(more.Trials);
        Assert.True(more.Exhausted);
        Assert.Contains("budget of 3", more.Reason);
        Assert.Equal(StudyState.Active, more.StudyState);

        foreach (var t in handed)
        {
            await t.CompleteAsync(Measurement.Of("loss", t.Id));
        }

        var info = await study.GetAsync();
        Assert.Equal(StudyState.Completed, info.State);
        Assert.Contains("budget of 3", info.StateReason);
    }

    [Fact]
    public async Task Grid_search_through_the_service_enumerates_the_grid_then_completes()
    {
        var config = new StudyConfig
        {
            Parameters = [ParameterConfig.Categorical("c", "a", "b"), ParameterConfig.Integer("n", 1, 3)],
            Metrics = [MetricConfig.Objective("m", MetricGoal.Maximize)],
            Algorithm = AlgorithmNames.GridSearch,
        };
        var study = await NewStudyAsync(config);
        var seen = new List<string>();
        await study.RunWorkerAsync("grid-worker", (t, _) =>
        {
            seen.Add($"{t.GetString("c")}{t.GetInt64("n")}");
            return Task.FromResult(Measurement.Of("m", seen.Count));
        });
        Assert.Equal(["a1", "a2", "a3", "b1", "b2", "b3"], seen);
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);
        Assert.Equal(6, (await study.ListTrialsAsync()).Count);
    }

    [Fact]
    public async Task Deleted_trial_ids_are_never_reused_and_deleted_studies_are_gone()
    {
        var study = await NewStudyAsync();
        var trials = await study.SuggestAsync(2, "w");
        await trials[1].DeleteAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => trials[1].MaterializeAsync());
        var next = await study.SuggestAsync(1, "v");
        Assert.Equal(3, next[0].Id);
        Assert.Equal([1L, 3L], (await study.ListTrialsAsync()).Select(t => t.Id));

        var (owner, studyId) = ResourceNames.ParseStudy(study.Name);
        await study.DeleteAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => study.GetAsync());
        Assert.DoesNotContain(await _client.ListStudiesAsync(owner), s => s.StudyId == studyId);

        // Recreating under the same name starts a fresh study.
        var again = await _client.CreateOrLoadStudyAsync(owner, studyId, TestConfigs.TwoFloats());
        Assert.Empty(await again.ListTrialsAsync());
        Assert.Equal([1L], (await again.SuggestAsync(1, "w")).Select(t => t.Id));
    }

    [Fact]
    public async Task Metadata_updates_are_stored_per_namespace()
    {
        var study = await NewStudyAsync();
        var info = await study.UpdateMetadataAsync(new MetadataItem("", "owner-note", "first"), new MetadataItem("algo", "state", "42"));
        Assert.Equal("first", info.Metadata.Get("", "owner-note"));
        Assert.Equal("42", (await study.GetAsync()).Metadata.Get("algo", "state"));

        var trial = (await study.SuggestAsync(1, "w"))[0];
        await trial.UpdateMetadataAsync(new MetadataItem("", "checkpoint", "gs://bucket/1"));
        Assert.Equal("gs://bucket/1", (await trial.MaterializeAsync()).Metadata.Get("", "checkpoint"));
    }

    [Fact]
    public async Task Quasi_random_search_suggestions_fit_a_mixed_conditional_space_through_the_service()
    {
        var config = TestConfigs.Mixed(AlgorithmNames.QuasiRandomSearch);
        var study = await NewStudyAsync(config);
        var trials = await study.SuggestAsync(20, "w");
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), trials.Select(t => t.Id));
        foreach (var t in trials)
        {
            SearchSpace.Validate(config, t.Parameters, t.Name);
        }
    }

    [Fact]
    public async Task Parallel_clients_get_unique_ids_and_every_completion_is_stored()
    {
        const int clients = 50, perClient = 10;
        var study = await NewStudyAsync();
        var handedOut = new System.Collections.Concurrent.ConcurrentBag<(string Client, long Id)>();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < perClient; i++)
            {
                var t = (await study.SuggestAsync(1, $"client-{c}"))[0];
                handedOut.Add(($"client-{c}", t.Id));
                await t.CompleteAsync(Measurement.Of("loss", (c * 1000) + i));
            }
        })));

        var ids = handedOut.Select(h => h.Id).Order().ToList();
        Assert.Equal(Enumerable.Range(1, clients * perClient).Select(i => (long)i), ids);
        var stored = await study.ListTrialsAsync();
        Assert.Equal(clients * perClient, stored.Count);
        Assert.All(stored, t => Assert.Equal(TrialState.Succeeded, t.State));
        var byId = handedOut.ToDictionary(h => h.Id, h => h.Client);
        Assert.All(stored, t => Assert.Equal(byId[t.Id], t.ClientId));
        Assert.All(stored, t => Assert.Equal(ImmutableHashSet.Create("loss"), t.FinalMeasurement!.Metrics.Keys.ToImmutableHashSet()));
    }

    [Fact]
    public async Task Workers_running_the_same_loop_share_the_budget()
    {
        var study = await NewStudyAsync(TestConfigs.TwoFloats(maxTrials: 40));
        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(w => study.RunWorkerAsync($"loop-{w}", async (t, _) =>
        {
            await Task.Yield();
            var x = t.GetDouble("x");
            var y = t.GetDouble("y");
            return Measurement.Of("loss", (x * x) + (y * y));
        })));
        Assert.Equal(40, counts.Sum());
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);
        var best = Assert.Single(await study.ListOptimalTrialsAsync());
        Assert.Equal((await study.ListTrialsAsync()).Min(t => t.FinalMeasurement!.Metrics["loss"]), best.FinalMeasurement!.Metrics["loss"]);
    }
}
