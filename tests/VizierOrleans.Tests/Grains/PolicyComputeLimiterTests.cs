using Microsoft.Extensions.Options;
using VizierOrleans.Grains.Hosting;

namespace VizierOrleans.Tests.Grains;

public sealed class PolicyComputeLimiterTests
{
    private static PolicyComputeLimiter Limiter(int limit) =>
        new(Options.Create(new StudyOptions { MaxConcurrentPolicyComputations = limit }));

    [Fact]
    public async Task No_more_computations_than_the_limit_run_at_once_and_a_waiting_one_starts_when_a_slot_frees()
    {
        using var limiter = Limiter(2);
        using var release = new ManualResetEventSlim();
        using var bothIn = new CountdownEvent(2);
        var started = 0;
        int Compute(CancellationToken _)
        {
            var n = Interlocked.Increment(ref started);
            if (n <= 2)
            {
                bothIn.Signal();
            }

            release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
            return n;
        }

        var first = limiter.RunAsync(Compute, CancellationToken.None);
        var second = limiter.RunAsync(Compute, CancellationToken.None);
        Assert.True(bothIn.Wait(TimeSpan.FromSeconds(30)), "the first two computations never started");

        // No slot is free: the third waits without starting.
        var third = limiter.RunAsync(Compute, CancellationToken.None);
        Assert.Equal(2, limiter.Running);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, Volatile.Read(ref started));

        release.Set();
        Assert.Equal([1, 2, 3], (await Task.WhenAll(first, second, third)).Order());
        Assert.Equal(0, limiter.Running);
    }

    [Fact]
    public async Task A_computation_cancelled_while_it_waits_for_a_slot_never_runs()
    {
        using var limiter = Limiter(1);
        using var release = new ManualResetEventSlim();
        var holding = limiter.RunAsync(_ => release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None), CancellationToken.None);
        var ran = 0;
        using var cancel = new CancellationTokenSource();
        var queued = limiter.RunAsync(_ => Interlocked.Increment(ref ran), cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        release.Set();
        await holding;
        Assert.Equal(0, ran);
        Assert.Equal(0, limiter.Running);
    }

    [Fact]
    public async Task A_running_computation_sees_its_cancellation_and_frees_its_slot()
    {
        using var limiter = Limiter(1);
        using var entered = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource();
        var running = limiter.RunAsync(ct =>
        {
            entered.Set();
            ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            ct.ThrowIfCancellationRequested();
            return 0;
        }, cancel.Token);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the computation never started");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(0, limiter.Running);
        Assert.Equal(1, await limiter.RunAsync(_ => 1, CancellationToken.None));
    }

    [Fact]
    public void The_default_limit_is_below_the_core_count_and_at_least_one_and_zero_is_refused()
    {
        Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), new StudyOptions().MaxConcurrentPolicyComputations);
        Assert.Contains("MaxConcurrentPolicyComputations", new StudyOptions { MaxConcurrentPolicyComputations = 0 }.Problem(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_timeout_longer_than_the_policy_calls_response_timeout_is_refused()
    {
        Assert.Null(new StudyOptions { PolicyTimeout = TimeSpan.FromHours(1) }.Problem());
        Assert.Contains("PolicyTimeout", new StudyOptions { PolicyTimeout = TimeSpan.FromHours(2) }.Problem(), StringComparison.Ordinal);
        Assert.Contains("PolicyTimeout", new StudyOptions { PolicyTimeout = TimeSpan.Zero }.Problem(), StringComparison.Ordinal);
    }
}
