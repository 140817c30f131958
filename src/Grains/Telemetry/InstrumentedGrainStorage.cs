using System.Diagnostics;
using Orleans.Storage;

namespace VizierOrleans.Grains.Telemetry;

/// <summary>
/// Wraps a grain storage provider with a span and a latency measurement per operation, and counts failures by type
/// (<c>conflict</c> for a stale ETag). Forwards the silo lifecycle, so the inner provider still initializes itself.
/// </summary>
internal sealed class InstrumentedGrainStorage(string name, IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        MeasureAsync("read", "vizier.storage.read", stateName, grainId, () => inner.ReadStateAsync(stateName, grainId, grainState));

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        MeasureAsync("write", "vizier.storage.write", stateName, grainId, () => inner.WriteStateAsync(stateName, grainId, grainState));

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        MeasureAsync("clear", "vizier.storage.clear", stateName, grainId, () => inner.ClearStateAsync(stateName, grainId, grainState));

    /// <inheritdoc />
    public void Participate(ISiloLifecycle observer) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(observer);

    // The span name comes as a literal: formatting it per call would allocate on every storage operation.
    private async Task MeasureAsync(string operation, string spanName, string stateName, GrainId grainId, Func<Task> run)
    {
        using var activity = VizierMetrics.Source.StartActivity(spanName, ActivityKind.Client);
        activity?.SetTag("vizier.storage.provider", name);
        activity?.SetTag("vizier.storage.state", stateName);
        activity?.SetTag("vizier.grain", grainId.ToString());
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            await run();
        }
        catch (Exception error)
        {
            outcome = "error";
            VizierMetrics.RecordError(activity, error);
            VizierMetrics.StorageErrors.Add(1, new TagList
            {
                { "vizier.operation", operation },
                { "error.type", error is InconsistentStateException ? "conflict" : error.GetType().Name },
            });
            throw;
        }
        finally
        {
            VizierMetrics.StorageDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new TagList
            {
                { "vizier.operation", operation },
                { "vizier.storage.state", stateName },
                { "vizier.outcome", outcome },
            });
        }
    }
}
