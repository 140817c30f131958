using Orleans.Storage;
using VizierOrleans.Grains.State;

namespace VizierOrleans.Tests.Grains.Study;

public sealed class CommittedStateTests
{
    [Fact]
    public async Task Readers_see_a_value_only_after_its_write_succeeded()
    {
        var slot = new FakeSlot();
        var state = new CommittedState<Box, string?>(slot, b => b.Value, (b, v) => b.Value = v, () => { });
        slot.State.Value = "loaded";
        var writing = state.WriteAsync("next");
        Assert.Equal("loaded", state.Value);
        slot.Finish();
        await writing;
        Assert.Equal("next", state.Value);
    }

    [Fact]
    public async Task A_failed_write_puts_the_slot_back_and_an_etag_conflict_asks_to_reload()
    {
        var slot = new FakeSlot();
        var conflicts = 0;
        var state = new CommittedState<Box, string?>(slot, b => b.Value, (b, v) => b.Value = v, () => conflicts++);
        slot.Failure = new InconsistentStateException("newer state in storage");
        var writing = state.WriteAsync("lost");
        slot.Finish();
        await Assert.ThrowsAsync<InconsistentStateException>(() => writing);
        Assert.Null(state.Value);
        Assert.Null(slot.State.Value);
        Assert.Equal(1, conflicts);
    }

    internal sealed class Box
    {
        public string? Value { get; set; }
    }

    private sealed class FakeSlot : IPersistentState<Box>
    {
        private TaskCompletionSource _write = new();

        public Exception? Failure { get; set; }

        public Box State { get; set; } = new();

        public string? Etag => null;

        public bool RecordExists => State.Value is not null;

        public void Finish() => _write.SetResult();

        public Task ClearStateAsync() => Task.CompletedTask;

        public Task ReadStateAsync() => Task.CompletedTask;

        public async Task WriteStateAsync()
        {
            await _write.Task;
            _write = new();
            if (Failure is { } failure)
            {
                throw failure;
            }
        }
    }
}
