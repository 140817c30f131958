using Microsoft.Extensions.Options;

namespace VizierOrleans.Grains.Hosting;

/// <summary>
/// The silo-wide limit on in-cluster policy computations (<see cref="StudyOptions.MaxConcurrentPolicyComputations"/>):
/// a computation waits for a slot, and a cancelled one (its study's deadline passed) leaves the queue without running.
/// </summary>
internal sealed class PolicyComputeLimiter(IOptions<StudyOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentPolicyComputations, options.Value.MaxConcurrentPolicyComputations);

    /// <summary>The number of computations that may run at once.</summary>
    public int Limit { get; } = options.Value.MaxConcurrentPolicyComputations;

    /// <summary>How many computations run now.</summary>
    public int Running => Limit - _slots.CurrentCount;

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    /// <summary>Runs <paramref name="compute"/> on the thread pool once a slot is free.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, T> compute, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return await Task.Run(() => compute(cancellationToken), cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }
}
