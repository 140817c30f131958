using VizierOrleans.Grains;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Grains;

public sealed class TrialIndexTests
{
    private static Trial T(long id, TrialState state, string? client = null, long version = 1) =>
        new() { StudyName = "owners/o/studies/s", Id = id, State = state, ClientId = client, Version = version };

    [Fact]
    public void A_compact_index_holds_completed_trials_without_their_curves_and_says_which()
    {
        var compact = true;
        var index = new TrialIndex(() => compact);
        Measurement[] curve = [Measurement.Of("loss", 3, steps: 1), Measurement.Of("loss", 2, steps: 2)];
        var running = T(1, TrialState.Active, "a") with { Measurements = [.. curve] };
        Assert.Same(running, index.Remember(running));
        Assert.Equal(2, index.TryFind(1)!.Measurements.Count);
        Assert.False(index.IsCompacted(1));

        // Completed: held without its intermediate measurements (the caller still gets the trial it gave).
        var done = running with { State = TrialState.Succeeded, FinalMeasurement = curve[^1], Version = 2 };
        Assert.Same(done, index.Remember(done));
        var held = index.TryFind(1)!;
        Assert.True(index.IsCompacted(1));
        Assert.Empty(held.Measurements);
        Assert.Equal((TrialState.Succeeded, curve[^1], 2L, "a"), (held.State, held.FinalMeasurement, held.Version, held.ClientId));

        // Completed without measurements, or while the study's policies need curves: held whole.
        index.Remember(T(2, TrialState.Succeeded));
        Assert.False(index.IsCompacted(2));
        compact = false;
        index.Remember(done with { Version = 3 });
        Assert.False(index.IsCompacted(1));
        Assert.Equal(2, index.TryFind(1)!.Measurements.Count);

        compact = true;
        index.Remember(done with { Version = 4 });
        index.Remove(1);
        Assert.False(index.IsCompacted(1));
    }

    [Fact]
    public void Keeps_id_order_and_state_indexes_in_step()
    {
        var index = new TrialIndex();
        index.Remember(T(2, TrialState.Requested));
        index.Remember(T(1, TrialState.Active, "a"));
        index.Remember(T(4, TrialState.Active, "b"));
        index.Remember(T(3, TrialState.Active, "a"));
        Assert.Equal([1L, 2L, 3L, 4L], index.All.Select(t => t.Id));
        Assert.Equal([1L, 3L], index.ActiveOf("a").Select(t => t.Id));
        Assert.Equal([2L], index.RequestedIds);

        index.Remember(T(2, TrialState.Active, "a", version: 2));
        index.Remember(T(1, TrialState.Succeeded, "a", version: 2));
        Assert.Equal([2L, 3L], index.ActiveOf("a").Select(t => t.Id));
        Assert.Empty(index.RequestedIds);

        // An older copy arriving late never overwrites a newer one.
        index.Remember(T(1, TrialState.Active, "a", version: 1));
        Assert.Equal(TrialState.Succeeded, index.TryFind(1)!.State);

        index.Remove(3);
        Assert.Equal([1L, 2L, 4L], index.All.Select(t => t.Id));
        Assert.Null(index.TryFind(3));
        Assert.Equal(4, index.TryFind(4)!.Id);
        Assert.True(index.HasPending);
        index.Remember(T(2, TrialState.Succeeded, "a", version: 3));
        index.Remember(T(4, TrialState.Infeasible, "b", version: 2));
        Assert.False(index.HasPending);
    }
}
