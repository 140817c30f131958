using Orleans.Storage;

namespace VizierOrleans.Grains.State;

/// <summary>
/// A grain's stored value as readers may see it: <see cref="Value"/> changes only after storage acknowledged the
/// write, so a reader (of a reentrant grain, or after a failed write) never sees a state that was never stored. A
/// failed write puts the storage slot back to the committed value; an ETag conflict (storage holds something newer
/// than this activation knows, for example after a failover) also calls <paramref name="onConflict"/>, which
/// deactivates the grain so the next call reloads. <paramref name="committed"/> (previous, stored) runs after each
/// acknowledged write or clear, for what must follow only a stored change (study events).
/// </summary>
/// <typeparam name="TDocument">The persistent state document.</typeparam>
/// <typeparam name="TValue">The value inside it that readers see.</typeparam>
internal sealed class CommittedState<TDocument, TValue>(
    IPersistentState<TDocument> slot,
    Func<TDocument, TValue> read,
    Action<TDocument, TValue> write,
    Action onConflict,
    Action<TValue, TValue>? committed = null)
{
    private TValue _value = default!;
    private bool _known;

    /// <summary>The value storage holds, as far as this activation knows (read from the loaded state once, on first use).</summary>
    public TValue Value
    {
        get
        {
            // Read once: a read may build a copy (the owner grain's sorted set), which must not happen on every access.
            if (!_known)
            {
                Commit(read(slot.State));
            }

            return _value;
        }
    }

    /// <summary>True when storage holds a record for the grain.</summary>
    public bool Exists => slot.RecordExists;

    /// <summary>Stores <paramref name="next"/>; it becomes <see cref="Value"/> once the write succeeded.</summary>
    public async Task<TValue> WriteAsync(TValue next)
    {
        // From here on readers see the committed copy, not the slot that is being written.
        var previous = Value;
        Commit(previous);
        write(slot.State, next);
        try
        {
            await slot.WriteStateAsync();
        }
        catch (Exception e)
        {
            Fail(previous, e);
            throw;
        }

        Commit(next);
        committed?.Invoke(previous, next);
        return next;
    }

    /// <summary>
    /// Reads the slot from storage again: another activation may have written it (after a failover both ran for a while).
    /// <see cref="Value"/> and the slot's ETag become storage's, so this activation's next write is no longer fenced off.
    /// </summary>
    public async Task<TValue> ReloadAsync()
    {
        await slot.ReadStateAsync();
        Commit(read(slot.State));
        return _value;
    }

    /// <summary>Deletes the stored record; <see cref="Value"/> becomes <paramref name="empty"/> once that succeeded.</summary>
    public async Task ClearAsync(TValue empty)
    {
        var previous = Value;
        Commit(previous);
        try
        {
            await slot.ClearStateAsync();
        }
        catch (Exception e)
        {
            Fail(previous, e);
            throw;
        }

        write(slot.State, empty);
        Commit(empty);
        committed?.Invoke(previous, empty);
    }

    private void Commit(TValue value)
    {
        _value = value;
        _known = true;
    }

    private void Fail(TValue previous, Exception e)
    {
        write(slot.State, previous);
        if (e is InconsistentStateException)
        {
            onConflict();
        }
    }
}
