using Microsoft.Extensions.Time.Testing;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Tests.Grains.Study;

public sealed class StopDecisionCacheTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Concurrent_callers_share_one_computation()
    {
        var cache = new StopDecisionCache(new FakeTimeProvider(), Lifetime);
        var gate = new TaskCompletionSource();
        var computations = 0;
        async Task<IReadOnlyList<(StopDecision, long)>> Compute()
        {
            computations++;
            await gate.Task;
            return [(new StopDecision(1, true, "worse than the median"), 3), (new StopDecision(2, false, "go on"), 1)];
        }

        var asks = new[] { cache.GetAsync(1, 3, Compute), cache.GetAsync(1, 3, Compute), cache.GetAsync(2, 1, Compute) };
        gate.SetResult();
        var decisions = await Task.WhenAll(asks);
        Assert.Equal(1, computations);
        Assert.Equal([true, true, false], decisions.Select(d => d!.ShouldStop));
    }

    [Fact]
    public async Task A_decision_is_reused_until_it_expires_or_the_trial_changes()
    {
        var time = new FakeTimeProvider();
        var cache = new StopDecisionCache(time, Lifetime);
        var computations = 0;
        Task<IReadOnlyList<(StopDecision, long)>> Compute()
        {
            computations++;
            return Task.FromResult<IReadOnlyList<(StopDecision, long)>>([(new StopDecision(1, false, $"go on {computations}"), 1)]);
        }

        Assert.Equal("go on 1", (await cache.GetAsync(1, 1, Compute))!.Reason);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("go on 1", (await cache.GetAsync(1, 1, Compute))!.Reason);
        Assert.Equal("go on 2", (await cache.GetAsync(1, 2, Compute))!.Reason);
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("go on 3", (await cache.GetAsync(1, 1, Compute))!.Reason);
        cache.Forget(1);
        Assert.Equal("go on 4", (await cache.GetAsync(1, 1, Compute))!.Reason);
    }

    [Fact]
    public async Task A_failed_computation_fails_its_waiters_and_the_next_caller_computes_again()
    {
        var cache = new StopDecisionCache(new FakeTimeProvider(), Lifetime);
        var gate = new TaskCompletionSource<IReadOnlyList<(StopDecision, long)>>();
        var first = cache.GetAsync(1, 1, () => gate.Task);
        var waiter = cache.GetAsync(1, 1, () => throw new InvalidOperationException("never called"));
        gate.SetException(new TimeoutException("policy timed out"));
        await Assert.ThrowsAsync<TimeoutException>(() => first);
        await Assert.ThrowsAsync<TimeoutException>(() => waiter);
        Assert.Null(await cache.GetAsync(1, 1, () => Task.FromResult<IReadOnlyList<(StopDecision, long)>>([])));
    }
}
