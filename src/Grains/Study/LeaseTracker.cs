using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// When a worker last showed it is alive for each ACTIVE trial (suggest, measurement, should-stop), and which trials'
/// leases ran out. In memory only: after a reactivation every ACTIVE trial starts a fresh lease, which errs on the side
/// of the worker.
/// </summary>
internal sealed class LeaseTracker(TimeProvider time)
{
    private readonly Dictionary<long, DateTimeOffset> _lastSeen = [];

    /// <summary>The worker of <paramref name="trialId"/> is alive now.</summary>
    public void Touch(long trialId) => _lastSeen[trialId] = time.GetUtcNow();

    /// <summary>The trial is no longer held (completed, released, deleted).</summary>
    public void Forget(long trialId) => _lastSeen.Remove(trialId);

    /// <summary>Forgets every trial.</summary>
    public void Clear() => _lastSeen.Clear();

    /// <summary>
    /// The ACTIVE trials among <paramref name="running"/> whose worker has been silent longer than <paramref name="lease"/>,
    /// with how long. A trial seen for the first time starts its lease now.
    /// </summary>
    public IReadOnlyList<(Trial Trial, TimeSpan Silence)> Expired(IEnumerable<Trial> running, TimeSpan lease)
    {
        var now = time.GetUtcNow();
        var expired = new List<(Trial, TimeSpan)>();
        foreach (var trial in running.Where(t => t.State == TrialState.Active))
        {
            if (!_lastSeen.TryGetValue(trial.Id, out var seen))
            {
                _lastSeen[trial.Id] = seen = now;
            }

            if (now - seen > lease)
            {
                expired.Add((trial, now - seen));
            }
        }

        return expired;
    }
}
