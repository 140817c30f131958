using System.Collections.Concurrent;

namespace VizierOrleans.Tests.Faults;

/// <summary>
/// Faults planted on the client's calls to one grain (by grain key and method name): the call runs but its response
/// is lost (what a call timeout looks like when the callee went on), or the call fails before it is sent.
/// </summary>
internal static class CallFaults
{
    private static readonly ConcurrentDictionary<(string Key, string Method), ConcurrentQueue<Fault>> Planted = new();

    /// <summary>The next call runs on the grain, then the caller gets a <see cref="TimeoutException"/> instead of its answer.</summary>
    public static void LoseNextResponse(string grainKey, string method) => Plant(grainKey, method, new Fault(true, new TimeoutException($"injected: the response to {method} was lost")));

    /// <summary>The next call fails with <paramref name="error"/> without reaching the grain.</summary>
    public static void FailNext(string grainKey, string method, Exception error) => Plant(grainKey, method, new Fault(false, error));

    internal static async Task InvokeAsync(IOutgoingGrainCallContext context)
    {
        if (!Planted.TryGetValue((context.TargetId.Key.ToString()!, context.MethodName), out var queue) || !queue.TryDequeue(out var fault))
        {
            await context.Invoke();
            return;
        }

        if (fault.AfterCall)
        {
            await context.Invoke();
        }

        throw fault.Error;
    }

    private static void Plant(string grainKey, string method, Fault fault) =>
        Planted.GetOrAdd((grainKey, method), _ => new ConcurrentQueue<Fault>()).Enqueue(fault);

    private sealed record Fault(bool AfterCall, Exception Error);
}
