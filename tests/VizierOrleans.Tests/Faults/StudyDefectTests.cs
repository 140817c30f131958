using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;

namespace VizierOrleans.Tests.Faults;

/// <summary>
/// The study grain's races, retries and partial failures (issue #18's numbered defects), each driven step by step
/// with planted storage and call faults.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class StudyDefectTests(FaultClusterFixture fixture)
{
    private static readonly Measurement Loss1 = Measurement.Of("loss", 1);

    private Task<StudyHandle> NewStudyAsync(StudyConfig? config = null) =>
        fixture.Client.CreateOrLoadStudyAsync("faults", TestConfigs.UniqueId(), config ?? TestConfigs.TwoFloats());

    private ITrialGrain TrialGrain(StudyHandle study, long id) =>
        fixture.Cluster.GrainFactory.GetGrain<ITrialGrain>(ResourceNames.Trial(study.Name, id));

    // While the old code is running ahead (a race it loses), give it the time to do so; the new code passes either way.
    private static Task LetItRunAhead(Task task) => Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(1)));

    // Holds the delete of trial 1 in storage while a suggest runs, then lets it finish: the suggest must hand out a new
    // trial 2 that completes.
    private static async Task SuggestWhileTrialDeleteIsHeldAsync(StudyHandle study, TrialHandle deleted)
    {
        var hold = StorageFaults.Hold(deleted.Name, StorageOperation.Clear);
        var delete = deleted.DeleteAsync();
        await hold.Reached;
        var suggest = study.SuggestAsync(1, "w");
        await LetItRunAhead(suggest);
        hold.Release();
        await delete;

        var given = Assert.Single(await suggest);
        Assert.Equal(2, given.Id);
        Assert.Equal(TrialState.Succeeded, (await given.CompleteAsync(Loss1)).State);
    }

    // 1.
    [Fact]
    public async Task A_retried_identical_completion_after_that_completion_finished_the_study_returns_the_stored_trial()
    {
        var study = await NewStudyAsync(TestConfigs.TwoFloats(maxTrials: 1));
        var trial = (await study.SuggestAsync(1, "w"))[0];
        var first = await trial.CompleteAsync(Loss1);
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);

        var again = await study.Trial(trial.Id).CompleteAsync(Loss1);
        Assert.Equal(TrialState.Succeeded, again.State);
        Assert.Equal(first.Version, again.Version);
        Assert.Equal(Loss1, again.FinalMeasurement);

        // A different result is still refused.
        await Assert.ThrowsAsync<FailedPreconditionException>(() => study.Trial(trial.Id).CompleteAsync(Measurement.Of("loss", 2)));
    }

    // 1.
    [Fact]
    public async Task Worker_loop_ends_cleanly_when_the_response_to_the_completion_that_finished_the_study_was_lost()
    {
        var study = await NewStudyAsync(TestConfigs.TwoFloats(maxTrials: 1));
        CallFaults.LoseNextResponse(study.Name, nameof(IStudyGrain.CompleteTrialAsync));
        var evaluated = await study.RunWorkerAsync("w", (_, _) => Task.FromResult(Loss1));
        Assert.Equal(1, evaluated);
        var stored = Assert.Single(await study.ListTrialsAsync());
        Assert.Equal(TrialState.Succeeded, stored.State);
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);
    }

    // 2.
    [Fact]
    public async Task A_completion_racing_the_last_grid_batch_does_not_complete_the_study_while_that_batch_is_created()
    {
        var study = await NewStudyAsync(new StudyConfig
        {
            Parameters = [ParameterConfig.Categorical("c", "a", "b")],
            Metrics = [MetricConfig.Objective("loss", MetricGoal.Minimize)],
            Algorithm = AlgorithmNames.GridSearch,
        });
        var first = (await study.SuggestAsync(1, "w1"))[0];

        // The second worker's batch holds the grid's last point: its trial's write is held.
        var hold = StorageFaults.Hold(ResourceNames.Trial(study.Name, 2), StorageOperation.Write);
        var lastBatch = study.SuggestAsync(1, "w2");
        await hold.Reached;
        var firstDone = first.CompleteAsync(Loss1);
        await LetItRunAhead(firstDone);
        hold.Release();

        Assert.Equal(TrialState.Succeeded, (await firstDone).State);
        var last = Assert.Single(await lastBatch);
        Assert.Equal(2, last.Id);
        Assert.Equal(StudyState.Active, (await study.GetAsync()).State);
        Assert.Equal(TrialState.Succeeded, (await last.CompleteAsync(Measurement.Of("loss", 2))).State);
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);
    }

    // 3.
    [Fact]
    public async Task Suggest_above_the_maximum_count_is_refused_naming_suggestion_count_and_creates_nothing()
    {
        var study = await NewStudyAsync();
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => study.SuggestAsync(1001, "w"));
        Assert.Contains("suggestion_count", e.Message);
        Assert.Contains("1000", e.Message);
        Assert.Empty(await study.ListTrialsAsync());
        Assert.Equal(1000, (await study.SuggestAsync(1000, "w")).Count);
    }

    // 4.
    [Fact]
    public async Task A_batch_whose_trial_creations_partly_fail_leaves_index_budget_and_delete_consistent_with_storage()
    {
        var study = await NewStudyAsync(TestConfigs.TwoFloats(maxTrials: 3));
        StorageFaults.FailOnce(ResourceNames.Trial(study.Name, 2), StorageOperation.Write);
        var once = new VizierClient(fixture.Cluster.Client) { RetryBudget = TimeSpan.Zero }.Study(study.Name);
        await Assert.ThrowsAnyAsync<VizierException>(() => once.SuggestAsync(3, "w"));

        // What was stored is listed; the failed id is never handed out; the budget counts what exists.
        Assert.Equal([1L, 3L], (await study.ListTrialsAsync()).Select(t => t.Id));
        var retried = await study.SuggestAsync(3, "w");
        Assert.Equal([1L, 3L, 4L], retried.Select(t => t.Id));
        Assert.Empty(await study.SuggestAsync(1, "other"));
        foreach (var t in retried)
        {
            await t.CompleteAsync(Loss1);
        }

        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);
        await study.DeleteAsync();
        foreach (var id in new long[] { 1, 2, 3, 4 })
        {
            Assert.Null(await TrialGrain(study, id).GetAsync());
        }
    }

    // 5.
    [Fact]
    public async Task Deleting_a_queued_trial_while_a_suggest_runs_fails_no_batch()
    {
        var study = await NewStudyAsync();
        await study.RequestTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 1.0, ["y"] = 1.0 });
        await SuggestWhileTrialDeleteIsHeldAsync(study, study.Trial(1));
        Assert.Equal([2L], (await study.ListTrialsAsync()).Select(t => t.Id));
    }

    // 5.
    [Fact]
    public async Task Deleting_a_trial_whose_lease_ran_out_while_a_suggest_releases_it_fails_no_batch()
    {
        var study = await NewStudyAsync(TestConfigs.TwoFloats() with { TrialLease = TimeSpan.FromMilliseconds(1) });
        var silent = (await study.SuggestAsync(1, "silent"))[0];
        fixture.LeaseClock.Advance(TimeSpan.FromSeconds(1));
        await SuggestWhileTrialDeleteIsHeldAsync(study, silent);
    }

    // 9.
    [Fact]
    public async Task A_retried_suggest_start_finds_the_clients_running_operation_instead_of_queueing_another()
    {
        var study = await NewStudyAsync();
        var grain = fixture.Cluster.GrainFactory.GetGrain<IStudyGrain>(study.Name);
        var hold = StorageFaults.Hold(ResourceNames.Trial(study.Name, 1), StorageOperation.Write);
        var started = await grain.StartSuggestAsync(1, "w", TimeSpan.Zero);
        await hold.Reached;
        var retried = await grain.StartSuggestAsync(1, "w", TimeSpan.Zero);
        var other = await grain.StartSuggestAsync(1, "v", TimeSpan.Zero);
        Assert.False(started.Done);
        Assert.Equal(started.Id, retried.Id);
        Assert.NotEqual(started.Id, other.Id);
        hold.Release();

        var done = await grain.GetSuggestOperationAsync(started.Id, TimeSpan.FromSeconds(30));
        Assert.True(done.Done);
        Assert.Equal([1L], done.Result!.Trials.Select(t => t.Id));
        Assert.Equal([2L], (await grain.GetSuggestOperationAsync(other.Id, TimeSpan.FromSeconds(30))).Result!.Trials.Select(t => t.Id));
        var next = await grain.StartSuggestAsync(1, "w", TimeSpan.FromSeconds(30));
        Assert.NotEqual(started.Id, next.Id);
        Assert.Equal([1L], next.Result!.Trials.Select(t => t.Id));
    }

    // 6.
    [Fact]
    public async Task A_retried_identical_measurement_is_not_appended_twice()
    {
        var study = await NewStudyAsync();
        var trial = (await study.SuggestAsync(1, "w"))[0];
        var m = Measurement.Of("loss", 3, steps: 5, elapsedSeconds: 1.5);
        await trial.AddMeasurementAsync(m);
        await trial.AddMeasurementAsync(m);
        await trial.AddMeasurementAsync(Measurement.Of("loss", 2, steps: 6));
        Assert.Equal([5L, 6L], (await trial.MaterializeAsync()).Measurements.Select(x => x.Steps));
    }

    // 6.
    [Fact]
    public async Task Deleting_a_study_or_trial_that_a_retry_already_deleted_succeeds_in_the_client_library()
    {
        var study = await NewStudyAsync();
        var trial = (await study.SuggestAsync(1, "w"))[0];
        await trial.DeleteAsync();
        await trial.DeleteAsync();
        await study.DeleteAsync();
        await study.DeleteAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => study.GetAsync());
    }

    // 7.
    [Fact]
    public async Task A_study_delete_that_fails_at_the_study_row_never_lets_a_later_trial_reuse_an_id()
    {
        var study = await NewStudyAsync();
        Assert.Equal([1L, 2L, 3L], (await study.SuggestAsync(3, "w")).Select(t => t.Id));
        StorageFaults.FailOnce(study.Name, StorageOperation.Clear);
        await Assert.ThrowsAnyAsync<Exception>(() => study.DeleteAsync());

        Assert.Equal([4L], (await study.SuggestAsync(1, "v")).Select(t => t.Id));
        await study.DeleteAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => study.GetAsync());
    }

    // 7.
    [Fact]
    public async Task A_study_delete_that_fails_at_one_trial_lists_what_is_still_stored_and_reuses_no_id()
    {
        var study = await NewStudyAsync();
        await study.SuggestAsync(3, "w");
        StorageFaults.FailOnce(ResourceNames.Trial(study.Name, 2), StorageOperation.Clear);
        await Assert.ThrowsAnyAsync<Exception>(() => study.DeleteAsync());

        Assert.Equal([2L], (await study.ListTrialsAsync()).Select(t => t.Id));
        Assert.Null(await TrialGrain(study, 1).GetAsync());
        Assert.Equal([2L, 4L], (await study.SuggestAsync(2, "w")).Select(t => t.Id));
    }

    // 8.
    [Fact]
    public async Task Concurrent_should_stop_calls_share_one_policy_computation()
    {
        var study = await NewStudyAsync(TestConfigs.TwoFloats() with
        {
            Metadata = Metadata.Empty.With(ExternalPolicy.Namespace, ExternalPolicy.EndpointKey, CountingStopPolicy.Endpoint),
        });
        await study.RequestTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 1.0, ["y"] = 1.0 });
        var trial = (await study.SuggestAsync(1, "w"))[0];

        var asks = Enumerable.Range(0, 4).Select(_ => trial.ShouldStopAsync()).ToList();
        for (var i = 0; i < 300 && CountingStopPolicy.CallsFor(study.Name) == 0; i++)
        {
            await Task.Delay(10);
        }

        await LetItRunAhead(Task.WhenAll(asks));
        CountingStopPolicy.GateFor(study.Name).SetResult();
        Assert.All(await Task.WhenAll(asks), Assert.False);
        Assert.Equal(1, CountingStopPolicy.CallsFor(study.Name));
    }
}
