using Microsoft.Extensions.Time.Testing;
using VizierOrleans.Grains;

namespace VizierOrleans.Tests.Grains;

public sealed class PolicyDeadlineTests
{
    [Fact]
    public void The_token_is_cancelled_exactly_when_the_requests_timeout_has_passed_on_the_silos_clock()
    {
        var time = new FakeTimeProvider();
        using var deadline = new PolicyDeadline(TimeSpan.FromSeconds(2), time, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.False(deadline.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(deadline.Token.IsCancellationRequested);
    }

    [Fact]
    public void The_callers_cancellation_cancels_the_token_before_the_timeout()
    {
        var time = new FakeTimeProvider();
        using var caller = new CancellationTokenSource();
        using var deadline = new PolicyDeadline(TimeSpan.FromMinutes(5), time, caller.Token);

        caller.Cancel();
        Assert.True(deadline.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_request_without_a_timeout_is_cancelled_only_by_its_caller()
    {
        var time = new FakeTimeProvider();
        using var caller = new CancellationTokenSource();
        using var deadline = new PolicyDeadline(null, time, caller.Token);

        time.Advance(TimeSpan.FromDays(1));
        Assert.False(deadline.Token.IsCancellationRequested);
        caller.Cancel();
        Assert.True(deadline.Token.IsCancellationRequested);
    }
}
