using Microsoft.Extensions.Time.Testing;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Tests.Grains.Study;

public sealed class SuggestBatcherTests
{
    [Fact]
    public async Task Calls_that_arrive_while_a_batch_is_served_are_served_together_as_the_next_batch()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var batches = new List<string[]>();
        var gate = new TaskCompletionSource();
        var batcher = new SuggestBatcher(async batch =>
        {
            batches.Add([.. batch.Select(p => p.ClientId)]);
            await gate.Task;
            return [.. batch.Select(p => new SuggestResult { Reason = p.ClientId })];
        }, time);

        var first = new PendingSuggest(1, 1, "a");
        var a = batcher.Enqueue(first);
        var b = batcher.Enqueue(new PendingSuggest(2, 1, "b"));
        var c = batcher.Enqueue(new PendingSuggest(3, 2, "c"));
        Assert.True(batcher.Draining);
        gate.SetResult();
        Assert.Equal(["a", "b", "c"], (await Task.WhenAll(a, b, c)).Select(r => r.Reason));
        Assert.Equal([["a"], ["b", "c"]], batches);
        Assert.Equal(time.GetUtcNow(), first.DoneAt);
        Assert.False(batcher.Draining);
    }

    [Fact]
    public async Task A_failed_batch_fails_its_calls_only()
    {
        var served = 0;
        var batcher = new SuggestBatcher(batch => ++served == 1
            ? Task.FromException<SuggestResult[]>(new InvalidArgumentException("bad suggestion"))
            : Task.FromResult<SuggestResult[]>([.. batch.Select(_ => new SuggestResult())]), TimeProvider.System);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => batcher.Enqueue(new PendingSuggest(4, 1, "a")));
        Assert.NotNull(await batcher.Enqueue(new PendingSuggest(5, 1, "b")));
    }
}
