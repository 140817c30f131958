using Orleans.Storage;

namespace VizierOrleans.Grains.State;

/// <summary>
/// A grain's storage slot that is read on first use, not on activation as <c>[PersistentState]</c> reads it, so that a
/// grain whose first call creates its state inserts it without first reading a row that does not exist yet
/// (<see cref="TryInsertAsync"/>). The same state name, storage and keys as <c>[PersistentState]</c> would use.
/// </summary>
/// <typeparam name="T">The state.</typeparam>
internal sealed class LazyGrainState<T>(string stateName, GrainId grainId, IGrainStorage storage) : IPersistentState<T>, IGrainState<T>
    where T : new()
{
    /// <summary>The state (a new, empty one until read or written).</summary>
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public T State { get; set; } = new();

    /// <inheritdoc />
    public string? ETag { get; set; }

    /// <inheritdoc />
    public string? Etag => ETag;

    /// <summary>True when storage holds a record.</summary>
    public bool RecordExists { get; set; }

    /// <summary>True once the slot holds what storage holds (read, or written by this activation).</summary>
    public bool Loaded { get; private set; }

    /// <summary>Reads the slot unless it is known already.</summary>
    public Task EnsureReadAsync() => Loaded ? Task.CompletedTask : ReadStateAsync();

    /// <inheritdoc />
    public async Task ReadStateAsync()
    {
        State = new();
        ETag = null;
        RecordExists = false;
        await CallAsync("ReadStateAsync", () => storage.ReadStateAsync(stateName, grainId, this));
        Loaded = true;
    }

    /// <inheritdoc />
    public Task WriteStateAsync() => CallAsync("WriteStateAsync", () => storage.WriteStateAsync(stateName, grainId, this));

    /// <inheritdoc />
    public Task ClearStateAsync() => CallAsync("ClearStateAsync", () => storage.ClearStateAsync(stateName, grainId, this));

    /// <summary>
    /// Stores <paramref name="state"/> as a new record without reading first: true when it was stored; false when a
    /// record (or a cleared one's row) exists, and then nothing is known yet (the caller reads). A storage failure leaves
    /// the slot unknown too, so the next call reads whether the write happened.
    /// </summary>
    public async Task<bool> TryInsertAsync(T state)
    {
        State = state;
        ETag = null;
        try
        {
            await WriteStateAsync();
            Loaded = true;
            return true;
        }
        catch (InconsistentStateException)
        {
            Forget();
            return false;
        }
        catch
        {
            Forget();
            throw;
        }
    }

    // As Orleans' own slot does: a provider's failure reaches callers as an OrleansException around it (callers treat it
    // as a passing fault), an ETag conflict as itself.
    private async Task CallAsync(string operation, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is not InconsistentStateException and not OrleansException)
        {
            throw new OrleansException($"Error from storage provider {StorageNames.Vizier}.{stateName} during {operation} for grain {grainId}: {e.Message}", e);
        }
    }

    private void Forget()
    {
        State = new();
        ETag = null;
        RecordExists = false;
        Loaded = false;
    }
}
