using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.ClientGateway;

public sealed class VizierRetryPipelineTests
{
    // Moves the fake clock in small steps until the call finished, giving the pipeline's timers time to register.
    private static async Task<T> DriveAsync<T>(FakeTimeProvider time, Task<T> call)
    {
        for (var i = 0; i < 5000 && !call.IsCompleted; i++)
        {
            await Task.Delay(1);
            time.Advance(TimeSpan.FromMilliseconds(50));
        }

        return await call;
    }

    [Fact]
    public async Task Passing_faults_are_retried_until_the_call_succeeds()
    {
        var time = new FakeTimeProvider();
        var retry = new VizierRetryPipeline(TimeSpan.FromMinutes(1), time);
        var faults = new Queue<Exception>([new TimeoutException(), new SiloUnavailableException(), new VizierException(VizierErrorCode.Unavailable, "storage down")]);
        var calls = 0;
        var result = await DriveAsync(time, retry.ExecuteAsync(_ =>
        {
            calls++;
            return faults.TryDequeue(out var fault) ? Task.FromException<int>(fault) : Task.FromResult(42);
        }));
        Assert.Equal(42, result);
        Assert.Equal(4, calls);
    }

    [Fact]
    public void A_storage_failure_wrapped_by_orleans_is_a_passing_fault_and_a_wrapped_bug_is_not()
    {
        var storage = new VizierOrleans.Persistence.AzureTables.Storage.TableStorageException("connection refused");
        Assert.True(VizierRetryPipeline.IsTransient(new OrleansException("Error from storage provider during WriteStateAsync", storage)));
        Assert.True(VizierRetryPipeline.IsTransient(new Orleans.Storage.InconsistentStateException("ETag changed")));
        Assert.False(VizierRetryPipeline.IsTransient(new OrleansException("wrapped", new InvalidCastException("a bug"))));
        Assert.False(VizierRetryPipeline.IsTransient(new OrleansException("no inner")));
    }

    [Theory]
    [InlineData(typeof(NullReferenceException))]
    [InlineData(typeof(JsonException))]
    [InlineData(typeof(InvalidArgumentException))]
    [InlineData(typeof(NotFoundException))]
    [InlineData(typeof(InvalidOperationException))]
    public async Task Other_errors_are_thrown_at_once(Type error)
    {
        var retry = new VizierRetryPipeline(TimeSpan.FromMinutes(1), new FakeTimeProvider());
        var calls = 0;
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => retry.ExecuteAsync<int>(_ =>
        {
            calls++;
            throw (Exception)Activator.CreateInstance(error, "injected")!;
        }));
        Assert.IsType(error, thrown);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task When_the_budget_is_spent_the_last_error_is_thrown()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var retry = new VizierRetryPipeline(TimeSpan.FromSeconds(3), time);
        var calls = 0;
        var call = retry.ExecuteAsync<int>(_ => Task.FromException<int>(new TimeoutException($"attempt {++calls}")));
        var e = await Assert.ThrowsAsync<TimeoutException>(() => DriveAsync(time, call));
        Assert.Equal($"attempt {calls}", e.Message);
        Assert.True(calls > 2, $"{calls} attempts");
        Assert.InRange(time.GetUtcNow() - start, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Sixteen_workers_do_not_retry_in_lockstep()
    {
        var time = new FakeTimeProvider();
        var firstDelays = new List<TimeSpan>();
        var calls = Enumerable.Range(0, 16).Select(_ =>
        {
            var retry = new VizierRetryPipeline(TimeSpan.FromMinutes(1), time);
            retry.RetryObserved = d => firstDelays.Add(d);
            var failed = false;
            return retry.ExecuteAsync(_ => failed ? Task.FromResult(1) : Task.FromException<int>(new SiloUnavailableException($"{failed = true}")));
        }).ToList();
        await DriveAsync(time, Task.WhenAll(calls));
        Assert.Equal(16, firstDelays.Count);
        Assert.True(firstDelays.Distinct().Count() > 8, string.Join(", ", firstDelays));
        Assert.All(firstDelays, d => Assert.InRange(d, TimeSpan.Zero, VizierRetryPipeline.MaxDelay));
    }

    [Fact]
    public async Task A_zero_budget_never_retries()
    {
        var calls = 0;
        await Assert.ThrowsAsync<TimeoutException>(() => VizierRetryPipeline.None.ExecuteAsync<int>(_ =>
        {
            calls++;
            throw new TimeoutException();
        }));
        Assert.Equal(1, calls);
    }
}
