using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>Reads objective values out of trials, oriented so that larger is always better.</summary>
internal static class Objectives
{
    /// <summary>The value of <paramref name="metric"/> with MINIMIZE goals negated.</summary>
    public static double Oriented(MetricConfig metric, double value) => metric.Goal == MetricGoal.Minimize ? -value : value;

    /// <summary>True when the trial SUCCEEDED and its final measurement has every metric of the study.</summary>
    public static bool HasAllMetrics(StudyConfig config, Trial trial) =>
        trial.State == TrialState.Succeeded && trial.FinalMeasurement is { } m && config.Metrics.All(x => m.Metrics.ContainsKey(x.Name));

    /// <summary>True when every safety metric of the final measurement is on its good side.</summary>
    public static bool IsSafe(StudyConfig config, Trial trial) =>
        trial.FinalMeasurement is { } m && config.SafetyMetrics.All(s => m.Metrics.TryGetValue(s.Name, out var v) && s.IsSafe(v));

    /// <summary>The oriented objective vector of a completed trial (one entry per objective, larger is better).</summary>
    public static double[] OrientedVector(StudyConfig config, Trial trial) =>
        [.. config.Objectives.Select(o => Oriented(o, trial.FinalMeasurement!.Metrics[o.Name]))];

    /// <summary>True when <paramref name="a"/> is at least as good as <paramref name="b"/> everywhere and better somewhere.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var better = false;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] < b[i])
            {
                return false;
            }

            better |= a[i] > b[i];
        }

        return better;
    }

    /// <summary>
    /// The optimal trials: SUCCEEDED, every metric present, safe; for one objective all trials tied at the best value,
    /// for several the Pareto front. Returned in id order.
    /// </summary>
    public static IReadOnlyList<Trial> Optimal(StudyConfig config, IEnumerable<Trial> trials)
    {
        var candidates = trials.Where(t => HasAllMetrics(config, t) && IsSafe(config, t))
            .Select(t => (Trial: t, Vector: OrientedVector(config, t)))
            .ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        if (candidates[0].Vector.Length == 1)
        {
            var best = candidates.Max(c => c.Vector[0]);
            return [.. candidates.Where(c => c.Vector[0] == best).Select(c => c.Trial).OrderBy(t => t.Id)];
        }

        return [.. candidates.Where(c => !candidates.Any(o => Dominates(o.Vector, c.Vector))).Select(c => c.Trial).OrderBy(t => t.Id)];
    }
}
