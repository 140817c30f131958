namespace VizierOrleans.Grains;

/// <summary>A linked token that the caller's token or the request's own timeout cancels, whichever comes first.</summary>
internal sealed class PolicyDeadline : IDisposable
{
    private readonly CancellationTokenSource? _timer;
    private readonly CancellationTokenSource _linked;

    public PolicyDeadline(TimeSpan? timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        _timer = timeout is { } after && after > TimeSpan.Zero ? new CancellationTokenSource(after, time) : null;
        _linked = _timer is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
    }

    /// <summary>Cancelled by the caller or at the timeout.</summary>
    public CancellationToken Token => _linked.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        _linked.Dispose();
        _timer?.Dispose();
    }
}
