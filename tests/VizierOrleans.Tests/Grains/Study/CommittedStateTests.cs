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

    [Fact]
    public async Task A_reload_replaces_the_known_value_with_what_storage_holds_now()
    {
        var slot = new FakeSlot();
        var state = new CommittedState<Box, string?>(slot, b => b.Value, (b, v) => b.Value = v, () => { });
        slot.State.Value = "loaded";
        Assert.Equal("loaded", state.Value);

        // Another activation wrote storage meanwhile; this one's known value stays until it reloads.
        slot.Stored = "written elsewhere";
        Assert.Equal("loaded", state.Value);
        Assert.Equal("written elsewhere", await state.ReloadAsync());
        Assert.Equal("written elsewhere", state.Value);
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

        /// <summary>What the next read finds in storage (null: what the slot holds).</summary>
        public string? Stored { get; set; }

        public Task ReadStateAsync()
        {
            State = new Box { Value = Stored ?? State.Value };
            return Task.CompletedTask;
        }

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
