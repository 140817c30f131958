using System.Globalization;
using System.Text;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Benchmarks;

/// <summary>Two-objective problems: hypervolume of the Pareto front found, against a fixed reference point.</summary>
public static class MultiObjectiveBenchmark
{
    private sealed record Problem(string Name, int D, double Low, double High, Func<double[], (double, double)> F, (double, double) Reference);

    private static readonly Problem[] Problems =
    [
        // Two shifted spheres: the Pareto set is the segment between their centres.
        new("TwoSpheres", 4, -5, 5, x => (x.Sum(v => (v - 1) * (v - 1)), x.Sum(v => (v + 1) * (v + 1))), (50, 50)),

        // Fonseca-Fleming: concave front, both objectives in [0, 1].
        new("FonsecaFleming", 3, -4, 4, x =>
        {
            var s = 1 / Math.Sqrt(x.Length);
            return (1 - Math.Exp(-x.Sum(v => (v - s) * (v - s))), 1 - Math.Exp(-x.Sum(v => (v + s) * (v + s))));
        }, (1, 1)),
    ];

    public static string Run(IReadOnlyList<string> algorithms, int trials, int seeds)
    {
        var table = new StringBuilder("| problem | algorithm | trials | seeds | hypervolume (median) | min | max |\n|---|---|---|---|---|---|---|\n");
        foreach (var problem in Problems)
        {
            foreach (var algorithm in algorithms.Append(AlgorithmNames.RandomSearch).Distinct())
            {
                var volumes = Enumerable.Range(1, seeds).Select(seed => Hypervolume(RunOne(problem, algorithm, trials, seed), problem.Reference)).Order().ToList();
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {problem.Name} | {algorithm} | {trials} | {seeds} | {volumes[volumes.Count / 2]:F4} | {volumes[0]:F4} | {volumes[^1]:F4} |");
            }
        }

        return table.ToString();
    }

    private static List<(double, double)> RunOne(Problem problem, string algorithm, int trials, int seed)
    {
        var config = new StudyConfig
        {
            Parameters = [.. Enumerable.Range(0, problem.D).Select(i => ParameterConfig.Double($"x{i}", problem.Low, problem.High))],
            Metrics = [MetricConfig.Objective("f1", MetricGoal.Minimize), MetricConfig.Objective("f2", MetricGoal.Minimize)],
            Algorithm = algorithm,
        };
        var instance = AlgorithmRegistry.Create(algorithm);
        var all = new List<Trial>();
        var metadata = Metadata.Empty;
        var values = new List<(double, double)>();
        while (all.Count < trials)
        {
            var outcome = instance.Suggest(new SuggestionContext { Config = config, Trials = all, Count = 4, NextTrialId = all.Count + 1, Seed = seed, StudyMetadata = metadata });
            metadata = metadata.With(outcome.MetadataUpdates);
            foreach (var p in outcome.Suggestions)
            {
                var (f1, f2) = problem.F([.. Enumerable.Range(0, problem.D).Select(i => p[$"x{i}"].AsDouble())]);
                values.Add((f1, f2));
                all.Add(new Trial
                {
                    StudyName = "owners/b/studies/mo",
                    Id = all.Count + 1,
                    Parameters = p,
                    State = TrialState.Succeeded,
                    FinalMeasurement = Measurement.Of(new Dictionary<string, double> { ["f1"] = f1, ["f2"] = f2 }),
                });
            }
        }

        return values;
    }

    /// <summary>Exact 2-D hypervolume (both objectives minimized) dominated by the points, bounded by the reference.</summary>
    public static double Hypervolume(IEnumerable<(double F1, double F2)> points, (double F1, double F2) reference)
    {
        var front = points.Where(p => p.F1 < reference.F1 && p.F2 < reference.F2).OrderBy(p => p.F1).ThenBy(p => p.F2).ToList();
        var volume = 0.0;
        var lastF2 = reference.F2;
        foreach (var (f1, f2) in front)
        {
            if (f2 < lastF2)
            {
                volume += (reference.F1 - f1) * (lastF2 - f2);
                lastF2 = f2;
            }
        }

        return volume;
    }
}
