using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Telemetry;

/// <summary>
/// The trial counts by state of every study active in this process, for the <c>vizier.study.trials</c> gauge. Each
/// study sets its counts when it computes its owner summary (so the gauge lags the study by at most the summary
/// interval, as the owner listing does) and removes them when it deactivates or is deleted; the gauge reads them on
/// each collection, from any thread.
/// </summary>
internal static class StudyTrialGauge
{
    // Always reported, also when zero: an operator watches these two drain.
    private static readonly TrialState[] AlwaysReported = [TrialState.Requested, TrialState.Active];

    private static readonly ConcurrentDictionary<string, ImmutableSortedDictionary<TrialState, int>> Counts = new(StringComparer.Ordinal);

    /// <summary>The counts of <paramref name="study"/> as of now.</summary>
    public static void Set(string study, ImmutableSortedDictionary<TrialState, int> counts) => Counts[study] = counts;

    /// <summary>The study left this process (deactivated or deleted).</summary>
    public static void Remove(string study) => Counts.TryRemove(study, out _);

    /// <summary>One measurement per study and state.</summary>
    public static IEnumerable<Measurement<int>> Observe()
    {
        foreach (var (study, counts) in Counts)
        {
            foreach (var state in AlwaysReported.Union(counts.Keys).Order())
            {
                yield return new Measurement<int>(counts.GetValueOrDefault(state),
                    new KeyValuePair<string, object?>("vizier.study", study),
                    new KeyValuePair<string, object?>("vizier.trial.state", state.ToString().ToUpperInvariant()));
            }
        }
    }
}
