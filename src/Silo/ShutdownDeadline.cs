using Microsoft.Extensions.Options;

namespace VizierOrleans.Silo;

/// <summary>
/// Ends the process when a stop takes longer than the shutdown timeout plus a short grace. Orleans' ungraceful path
/// keeps retrying the membership table (about a minute per step) when Azure Storage is gone, and the host waits for
/// it, so without this a silo told to stop by SIGTERM would run on until SIGKILL.
/// </summary>
internal sealed partial class ShutdownDeadline(IOptions<HostOptions> hostOptions, TimeProvider time, ILogger<ShutdownDeadline> logger) : IHostedLifecycleService, IDisposable
{
    /// <summary>Time after the shutdown timeout for the host to log and dispose what it still can.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _stopped = new();

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        var deadline = hostOptions.Value.ShutdownTimeout + Grace;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(deadline, time, _stopped.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            LogShutdownOverdue(logger, deadline);
            Environment.Exit(1);
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _stopped.Cancel();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _stopped.Dispose();

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1904, Level = LogLevel.Critical, Message = "The silo did not stop within {Deadline} (shutdown timeout plus grace); exiting without finishing the stop")]
    private static partial void LogShutdownOverdue(ILogger logger, TimeSpan deadline);
}
