using VizierOrleans.Grains.Study;

namespace VizierOrleans.Tests.Grains.Study;

public sealed class StudyGateTests
{
    [Fact]
    public async Task Shared_holders_run_together_and_an_exclusive_one_waits_for_all_of_them()
    {
        var gate = new StudyGate();
        var a = await gate.SharedAsync();
        var b = await gate.SharedAsync();
        Assert.Equal((2, false), gate.Holders);

        var exclusive = gate.ExclusiveAsync();
        Assert.False(exclusive.IsCompleted);
        a.Dispose();
        Assert.False(exclusive.IsCompleted);
        b.Dispose();
        using var held = await exclusive;
        Assert.Equal((0, true), gate.Holders);
    }

    [Fact]
    public async Task A_waiting_exclusive_holder_is_not_overtaken_by_later_shared_ones()
    {
        var gate = new StudyGate();
        var first = await gate.SharedAsync();
        var exclusive = gate.ExclusiveAsync();
        var later = gate.SharedAsync();
        first.Dispose();

        var held = await exclusive;
        Assert.False(later.IsCompleted);
        held.Dispose();
        (await later).Dispose();
        Assert.Equal((0, false), gate.Holders);
    }

    [Fact]
    public async Task Exclusive_holders_run_one_at_a_time_in_arrival_order_and_leaving_twice_counts_once()
    {
        var gate = new StudyGate();
        var order = new List<int>();
        var first = await gate.ExclusiveAsync();
        var waiting = Enumerable.Range(1, 3).Select(async i =>
        {
            using var _ = await gate.ExclusiveAsync();
            order.Add(i);
        }).ToList();
        first.Dispose();
        first.Dispose();
        await Task.WhenAll(waiting);
        Assert.Equal([1, 2, 3], order);
        Assert.Equal((0, false), gate.Holders);
    }
}
