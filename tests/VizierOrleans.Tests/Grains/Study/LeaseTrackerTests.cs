using Microsoft.Extensions.Time.Testing;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Tests.Grains.Study;

public sealed class LeaseTrackerTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static Trial Active(long id) => new() { StudyName = "owners/o/studies/s", Id = id, State = TrialState.Active, ClientId = "w" };

    [Fact]
    public void A_trial_expires_only_after_its_worker_was_silent_longer_than_the_lease()
    {
        var time = new FakeTimeProvider();
        var leases = new LeaseTracker(time);
        leases.Touch(1);
        time.Advance(TimeSpan.FromSeconds(20));
        leases.Touch(2);
        time.Advance(TimeSpan.FromSeconds(11));

        var expired = leases.Expired([Active(1), Active(2)], Lease);
        Assert.Equal([1L], expired.Select(e => e.Trial.Id));
        Assert.Equal(TimeSpan.FromSeconds(31), expired[0].Silence);
    }

    [Fact]
    public void A_trial_seen_for_the_first_time_starts_a_fresh_lease_and_stopping_trials_never_expire()
    {
        var time = new FakeTimeProvider();
        var leases = new LeaseTracker(time);
        Assert.Empty(leases.Expired([Active(1)], Lease));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(leases.Expired([Active(1) with { State = TrialState.Stopping }], Lease));
        Assert.Single(leases.Expired([Active(1)], Lease));

        leases.Forget(1);
        Assert.Empty(leases.Expired([Active(1)], Lease));
    }
}
