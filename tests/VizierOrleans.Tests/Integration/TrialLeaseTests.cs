using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Telemetry;

namespace VizierOrleans.Tests.Integration;

/// <summary>Trial leases on the cluster's fake lease clock: the tests move it instead of sleeping.</summary>
[Collection(LeaseClusterCollection.Name)]
public sealed class TrialLeaseTests(LeaseClusterFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private Task<StudyHandle> NewStudyAsync() =>
        fixture.Client.CreateOrLoadStudyAsync("lease", TestConfigs.UniqueId(), TestConfigs.TwoFloats() with { TrialLease = Lease });

    [Fact]
    public async Task A_silent_workers_trial_moves_once_the_clock_passes_its_lease_deadline_and_not_a_second_before()
    {
        // The lease-expiry counter, for this test's owner only (other tests may expire leases meanwhile).
        var owner = TestConfigs.UniqueId("lease-owner");
        var expiries = new ConcurrentQueue<long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == VizierTelemetryNames.Meter && instrument.Name == "vizier.trials.lease_expired")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "vizier.owner" } && Equals(tag.Value, owner))
                {
                    expiries.Enqueue(value);
                }
            }
        });
        listener.Start();

        var study = await fixture.Client.CreateOrLoadStudyAsync(owner, "s", TestConfigs.TwoFloats() with { TrialLease = Lease });
        Assert.Equal(1, (await study.SuggestAsync(1, "worker-a"))[0].Id);

        // A second before the deadline, and at the deadline itself, worker-a still holds trial 1: the others get new trials.
        fixture.Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await study.SuggestAsync(1, "worker-b"))[0].Id);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await study.SuggestAsync(1, "worker-c"))[0].Id);
        Assert.Equal("worker-a", (await study.Trial(1).MaterializeAsync()).ClientId);
        Assert.Empty(expiries);

        // Past it, by the smallest step the clock has, trial 1 goes to the next worker; trials 2 and 3 stay.
        fixture.Clock.Advance(TimeSpan.FromTicks(1));
        var moved = Assert.Single(await study.SuggestAsync(1, "worker-d"));
        Assert.Equal(1, moved.Id);
        Assert.Equal("worker-d", moved.Snapshot.ClientId);
        Assert.Equal("worker-a", moved.Snapshot.Metadata.Get(TrialGrain.ReleasedNamespace, "released_from"));
        Assert.Equal(
            new[] { (1L, "worker-d"), (2L, "worker-b"), (3L, "worker-c") },
            (await study.ListTrialsAsync()).Select(t => (t.Id, t.ClientId!)));
        Assert.Equal([1L], expiries);
    }

    [Fact]
    public async Task Silent_worker_loses_its_trial_and_a_late_completion_is_accepted_once()
    {
        var study = await NewStudyAsync();
        var original = (await study.SuggestAsync(1, "worker-a"))[0];
        Assert.Equal(1, original.Id);

        fixture.Clock.Advance(Lease * 2);
        var reassigned = (await study.SuggestAsync(1, "worker-b"))[0];
        Assert.Equal(1, reassigned.Id);
        Assert.Equal("worker-b", reassigned.Snapshot.ClientId);
        Assert.Equal(TrialState.Active, reassigned.Snapshot.State);
        Assert.Equal("worker-a", reassigned.Snapshot.Metadata.Get(TrialGrain.ReleasedNamespace, "released_from"));

        // The original worker finishes late: accepted. The second worker's different result is refused.
        Assert.Equal(TrialState.Succeeded, (await original.CompleteAsync(Measurement.Of("loss", 5))).State);
        await Assert.ThrowsAsync<FailedPreconditionException>(() => reassigned.CompleteAsync(Measurement.Of("loss", 6)));
        var stored = await study.Trial(1).MaterializeAsync();
        Assert.Equal(5, stored.FinalMeasurement!.Metrics["loss"]);
        Assert.Single(await study.ListTrialsAsync());
    }

    [Fact]
    public async Task Late_completion_of_a_released_trial_that_waits_in_the_pool_is_accepted_and_the_pool_moves_on()
    {
        var study = await NewStudyAsync();
        var queued = await study.RequestTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 1.0, ["y"] = 2.0 });

        // Drive the trial grain through the race the study cannot be paused in: handed to worker-a, released when
        // its lease ran out, then completed late by worker-a before anyone else takes it.
        var grain = fixture.Cluster.GrainFactory.GetGrain<ITrialGrain>(queued.Name);
        await grain.ActivateAsync("worker-a");
        Assert.Equal(TrialState.Requested, (await grain.ReleaseAsync("worker-a")).State);
        var late = await grain.CompleteAsync(Measurement.Of("loss", 4), null);
        Assert.Equal(TrialState.Succeeded, late.State);
        Assert.Equal("worker-a", late.ClientId);

        // The study still lists the trial as queued; handing it out fails, so the next worker gets a new trial.
        var next = await study.SuggestAsync(1, "worker-b");
        Assert.Equal([2L], next.Select(t => t.Id));
        var stored = await study.Trial(1).MaterializeAsync();
        Assert.Equal(TrialState.Succeeded, stored.State);
        Assert.Equal(4, stored.FinalMeasurement!.Metrics["loss"]);
    }

    [Fact]
    public async Task Worker_that_reports_keeps_its_trial()
    {
        var study = await NewStudyAsync();
        var trial = (await study.SuggestAsync(1, "worker-a"))[0];
        for (var step = 1; step <= 6; step++)
        {
            // Twice the lease in all, but never silent for longer than a third of it.
            fixture.Clock.Advance(Lease / 3);
            await trial.AddMeasurementAsync(Measurement.Of("loss", 10 - step, steps: step));
        }

        var other = (await study.SuggestAsync(1, "worker-b"))[0];
        Assert.Equal(2, other.Id);
        Assert.Equal("worker-a", (await trial.MaterializeAsync()).ClientId);
    }

    [Fact]
    public async Task Without_a_lease_trials_stay_with_their_worker()
    {
        var study = await fixture.Client.CreateOrLoadStudyAsync("lease", TestConfigs.UniqueId(), TestConfigs.TwoFloats());
        await study.SuggestAsync(1, "worker-a");
        fixture.Clock.Advance(Lease * 2);
        Assert.Equal(2, (await study.SuggestAsync(1, "worker-b"))[0].Id);
    }
}
