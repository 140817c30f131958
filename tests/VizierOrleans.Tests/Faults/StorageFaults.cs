using System.Collections.Concurrent;
using Orleans.Storage;

namespace VizierOrleans.Tests.Faults;

/// <summary>The storage operations a fault can be planted on.</summary>
internal enum StorageOperation
{
    Write,
    Clear,
}

/// <summary>
/// Faults planted on single grains' storage operations, by grain key (resource name), so tests on one shared cluster
/// never meet each other's faults: an operation can be held until the test releases it, or fail once.
/// </summary>
internal static class StorageFaults
{
    private static readonly ConcurrentDictionary<(string Key, StorageOperation Operation), Fault> Planted = new();

    /// <summary>Holds the next <paramref name="operation"/> on <paramref name="grainKey"/> until the hold is released.</summary>
    public static StorageHold Hold(string grainKey, StorageOperation operation)
    {
        var hold = new StorageHold();
        Planted[(grainKey, operation)] = new Fault(hold, null);
        return hold;
    }

    /// <summary>Makes the next <paramref name="operation"/> on <paramref name="grainKey"/> fail without touching storage.</summary>
    public static void FailOnce(string grainKey, StorageOperation operation) =>
        Planted[(grainKey, operation)] = new Fault(null, new InjectedStorageException($"injected {operation} failure on {grainKey}"));

    internal static async Task BeforeAsync(string grainKey, StorageOperation operation)
    {
        if (Planted.TryRemove((grainKey, operation), out var fault))
        {
            if (fault.Hold is { } hold)
            {
                hold.ReachedSource.TrySetResult();
                await hold.ReleasedSource.Task;
            }

            if (fault.Failure is { } failure)
            {
                throw failure;
            }
        }
    }

    private sealed record Fault(StorageHold? Hold, Exception? Failure);
}

/// <summary>A held storage operation.</summary>
internal sealed class StorageHold
{
    internal TaskCompletionSource ReachedSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal TaskCompletionSource ReleasedSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the held operation has started (and waits).</summary>
    public Task Reached => ReachedSource.Task.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Lets the operation go on.</summary>
    public void Release() => ReleasedSource.TrySetResult();
}

/// <summary>A storage failure a test planted.</summary>
internal sealed class InjectedStorageException(string message) : Exception(message);

/// <summary>Grain storage that runs the planted faults, then passes the call to the real storage.</summary>
internal sealed class FaultInjectingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await StorageFaults.BeforeAsync(grainId.Key.ToString()!, StorageOperation.Write);
        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await StorageFaults.BeforeAsync(grainId.Key.ToString()!, StorageOperation.Clear);
        await inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
