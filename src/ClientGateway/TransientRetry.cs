using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.ClientGateway;

/// <summary>
/// Retries calls that are safe to repeat (suggest, complete) through passing faults: a silo that died, a gateway that
/// moved, a storage outage. The service's own refusals (<see cref="VizierException"/>) are final, except
/// <see cref="VizierErrorCode.Unavailable"/>.
/// </summary>
internal static class TransientRetry
{
    /// <summary>How long a call keeps retrying before the last error is thrown.</summary>
    public static TimeSpan DefaultBudget { get; } = TimeSpan.FromMinutes(2);

    /// <summary>True for errors that another attempt may not meet.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        VizierException v => v.Code == VizierErrorCode.Unavailable,
        OperationCanceledException or InvalidOperationException or ArgumentException => false,
        _ => true,
    };

    /// <summary>Runs <paramref name="call"/>, retrying transient failures with capped exponential back-off.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken = default, TimeSpan? budget = null)
    {
        var deadline = DateTime.UtcNow + (budget ?? DefaultBudget);
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransient(e) && DateTime.UtcNow + delay < deadline && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }
    }
}
