using System.Collections.Immutable;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Bbob;

/// <summary>
/// Runs an algorithm on a problem exactly as a study does: the algorithm sees every trial so far (pending ones
/// included), its metadata updates are kept, ids advance. With <c>parallel</c> &gt; 1, that many trials are in flight
/// and results come back in random order, as with several workers asking for one trial each.
/// </summary>
public static class AlgorithmRunner
{
    /// <summary>The search space of a D-dimensional BBOB problem.</summary>
    public static StudyConfig Config(int d, string algorithm, long seed) => new()
    {
        Parameters = [.. Enumerable.Range(0, d).Select(i => ParameterConfig.Double($"x{i}", -5, 5))],
        Metrics = [MetricConfig.Objective("value", MetricGoal.Minimize)],
        Algorithm = algorithm,
        Seed = seed,
    };

    /// <summary>Best-so-far optimality gap after each completed trial.</summary>
    public static double[] Run(ISuggestionAlgorithm algorithm, BbobProblem problem, int trials, long seed, int parallel = 1)
    {
        var config = Config(problem.D, "benchmark", seed);
        var all = new List<Trial>();
        var metadata = Metadata.Empty;
        var pending = new List<int>();
        var order = new Random(unchecked((int)seed * 31));
        var best = double.PositiveInfinity;
        var curve = new List<double>(trials);
        while (curve.Count < trials)
        {
            while (pending.Count < parallel && all.Count < trials)
            {
                var outcome = algorithm.Suggest(new SuggestionContext
                {
                    Config = config,
                    Trials = all,
                    StudyMetadata = metadata,
                    Count = 1,
                    NextTrialId = all.Count + 1,
                    Seed = seed,
                });
                metadata = metadata.With(outcome.MetadataUpdates);
                var parameters = outcome.Suggestions.Single();
                all.Add(new Trial { StudyName = "owners/bench/studies/bbob", Id = all.Count + 1, Parameters = parameters, State = TrialState.Active });
                pending.Add(all.Count - 1);
            }

            var index = pending[parallel == 1 ? 0 : order.Next(pending.Count)];
            pending.Remove(index);
            var x = Enumerable.Range(0, problem.D).Select(i => all[index].Parameters[$"x{i}"].AsDouble()).ToArray();
            var value = problem.Evaluate(x);
            all[index] = all[index] with
            {
                State = TrialState.Succeeded,
                FinalMeasurement = Measurement.Of("value", value),
            };
            best = Math.Min(best, problem.Gap(value));
            curve.Add(best);
        }

        return [.. curve];
    }

    /// <summary>
    /// Log-efficiency of a candidate against a baseline, as BBOB.md defines it: for each target level (the
    /// baseline's best-so-far values), log(1 + trials the baseline needs) - log(1 + trials the candidate needs),
    /// clipped to [-1, 1]; the median over levels.
    /// </summary>
    public static double LogEfficiency(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate)
    {
        var levels = baseline.Distinct().ToList();
        var scores = levels.Select(level =>
        {
            var b = FirstReach(baseline, level)!.Value;
            var c = FirstReach(candidate, level);
            var value = Math.Log(1 + b) - Math.Log(1 + (c ?? (candidate.Count * 2)));
            return Math.Clamp(value, -1, 1);
        }).Order().ToList();
        return scores.Count == 0 ? 0 : scores[scores.Count / 2];
    }

    private static int? FirstReach(IReadOnlyList<double> curve, double level)
    {
        for (var i = 0; i < curve.Count; i++)
        {
            if (curve[i] <= level)
            {
                return i + 1;
            }
        }

        return null;
    }
}
