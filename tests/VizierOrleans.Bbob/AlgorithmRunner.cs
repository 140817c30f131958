using VizierOrleans.Bbob.Problems;
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
    public static double[] Run(ISuggestionAlgorithm algorithm, BbobProblem problem, int trials, long seed, int parallel = 1) =>
        BestSoFar(RunValues(algorithm, problem, trials, seed, parallel));

    /// <summary>Best-so-far value (the gap: every single-objective problem here has its optimum at 0) after each result.</summary>
    public static double[] BestSoFar(IEnumerable<double[]> values)
    {
        var best = double.PositiveInfinity;
        return [.. values.Select(v => best = Math.Min(best, v[0]))];
    }

    /// <summary>The objective values of each trial in the order results arrived.</summary>
    public static List<double[]> RunValues(ISuggestionAlgorithm algorithm, IBenchmarkProblem problem, int trials, long seed, int parallel = 1)
    {
        var config = ProblemSpace.Config(problem, "benchmark", seed);
        var all = new List<Trial>();
        var metadata = Metadata.Empty;
        var pending = new List<int>();
        var order = new Random(unchecked((int)seed * 31));
        var results = new List<double[]>(trials);
        while (results.Count < trials)
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
            var value = problem.Evaluate(all[index].Parameters);
            all[index] = all[index] with { State = TrialState.Succeeded, FinalMeasurement = ProblemSpace.Measure(problem.Objectives, value) };
            results.Add(value);
        }

        return results;
    }

    /// <summary>
    /// The objective values of each trial when every call asks for <paramref name="batch"/> suggestions and all of them
    /// complete before the next call (as that many workers in lockstep).
    /// </summary>
    public static List<double[]> RunBatches(ISuggestionAlgorithm algorithm, IBenchmarkProblem problem, int trials, long seed, int batch)
    {
        var config = ProblemSpace.Config(problem, "benchmark", null);
        var all = new List<Trial>();
        var metadata = Metadata.Empty;
        var results = new List<double[]>(trials);
        while (all.Count < trials)
        {
            var outcome = algorithm.Suggest(new SuggestionContext { Config = config, Trials = all, Count = batch, NextTrialId = all.Count + 1, Seed = seed, StudyMetadata = metadata });
            metadata = metadata.With(outcome.MetadataUpdates);
            foreach (var p in outcome.Suggestions)
            {
                var value = problem.Evaluate(p);
                results.Add(value);
                all.Add(new Trial
                {
                    StudyName = "owners/b/studies/mo",
                    Id = all.Count + 1,
                    Parameters = p,
                    State = TrialState.Succeeded,
                    FinalMeasurement = ProblemSpace.Measure(problem.Objectives, value),
                });
            }
        }

        return results;
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
