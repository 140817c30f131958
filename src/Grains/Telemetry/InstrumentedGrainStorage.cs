using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace VizierOrleans.Grains.Telemetry;

/// <summary>
/// Wraps a grain storage provider with a span and a latency measurement per operation, and counts and logs failures by
/// type (<c>conflict</c> for a stale ETag). Forwards the silo lifecycle, so the inner provider still initializes itself.
/// </summary>
internal sealed partial class InstrumentedGrainStorage(string name, IGrainStorage inner, ILogger logger) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
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
            if (error is InconsistentStateException)
            {
                LogConflict(logger, operation, grainId, stateName);
            }
            else
            {
                LogFailure(logger, error, operation, grainId, stateName, error.GetType().Name);
            }

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

    // A conflict is how a stale activation (a failover, a retried write) finds out; the grain recovers by reloading.
    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "{Operation} of {Grain} ({State}) met newer state in storage (ETag conflict): the call fails, the caller retries and the grain reloads its state")]
    private static partial void LogConflict(ILogger logger, string operation, GrainId grain, string state);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "{Operation} of {Grain} ({State}) failed: {ErrorType}")]
    private static partial void LogFailure(ILogger logger, Exception error, string operation, GrainId grain, string state, string errorType);
}
