using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Early-stopping decisions, kept briefly (<paramref name="lifetime"/>) and per trial version, so that the question
/// every worker asks often costs one policy computation per study and interval: at most one computation runs at a
/// time, and concurrent callers share its result (single flight).
/// </summary>
internal sealed class StopDecisionCache(TimeProvider time, TimeSpan lifetime)
{
    private readonly Dictionary<long, Entry> _decisions = [];
    private Task? _flight;

    /// <summary>
    /// The decision for <paramref name="trialId"/> at <paramref name="version"/>: from the cache when fresh, otherwise
    /// from the running computation or, when none runs, from a new one. <paramref name="compute"/> returns decisions with
    /// the trial version each was made at; null when the policy said nothing about the trial.
    /// </summary>
    public async Task<StopDecision?> GetAsync(long trialId, long version, Func<Task<IReadOnlyList<(StopDecision Decision, long Version)>>> compute)
    {
        if (Fresh(trialId, version) is { } cached)
        {
            return cached;
        }

        // Someone asks the policy right now: its answer (or its failure) is ours too, if it covers this trial as it is.
        while (_flight is { IsCompleted: false } running)
        {
            await running;
            if (Fresh(trialId, version) is { } shared)
            {
                return shared;
            }
        }

        var flight = RunAsync(compute);
        _flight = flight;
        await flight;

        // The trial may have changed while the policy computed: its decision stands for this call.
        return _decisions.TryGetValue(trialId, out var entry) ? entry.Decision : null;
    }

    /// <summary>Drops the decision for a trial (it was completed, deleted or changed state).</summary>
    public void Forget(long trialId) => _decisions.Remove(trialId);

    /// <summary>Drops every decision.</summary>
    public void Clear() => _decisions.Clear();

    private StopDecision? Fresh(long trialId, long version) =>
        _decisions.TryGetValue(trialId, out var e) && e.Version == version && time.GetUtcNow() - e.At <= lifetime ? e.Decision : null;

    private async Task RunAsync(Func<Task<IReadOnlyList<(StopDecision Decision, long Version)>>> compute)
    {
        var at = time.GetUtcNow();
        foreach (var (decision, version) in await compute())
        {
            _decisions[decision.TrialId] = new Entry(decision, version, at);
        }
    }

    private sealed record Entry(StopDecision Decision, long Version, DateTimeOffset At);
}
