using VizierOrleans.Grains;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Grains;

public sealed class TrialIndexTests
{
    private static Trial T(long id, TrialState state, string? client = null, long version = 1) =>
        new() { StudyName = "owners/o/studies/s", Id = id, State = state, ClientId = client, Version = version };

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
