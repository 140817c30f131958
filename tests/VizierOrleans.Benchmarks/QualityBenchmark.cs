using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using VizierOrleans.Bbob;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Benchmarks;

/// <summary>Algorithms x functions x dimensions x seeds on shifted BBOB, through the algorithm interface the service uses.</summary>
public static class QualityBenchmark
{
    /// <summary>One run: best-so-far gaps of (algorithm, problem, trials, seed, workers in flight).</summary>
    public delegate double[] Runner(string algorithm, BbobProblem problem, int trials, int seed, int parallel);

    /// <summary>A benchmark-only variant: the GP bandit without its 200-point model cap, to measure what the cap costs.</summary>
    public const string UncappedGp = "GAUSSIAN_PROCESS_BANDIT_UNCAPPED";

    /// <summary>The library path: the algorithm called in-process exactly as the study grain calls it.</summary>
    public static double[] Library(string algorithm, BbobProblem problem, int trials, int seed, int parallel) =>
        AlgorithmRunner.Run(
            algorithm == UncappedGp ? new Grains.Algorithms.GaussianProcess.GaussianProcessBandit(maxModelPoints: int.MaxValue) : AlgorithmRegistry.Create(algorithm),
            problem, trials, seed, parallel);

    public static string Run(IReadOnlyList<string> algorithms, IReadOnlyList<string> functions, IReadOnlyList<int> dimensions, int seeds, int trials, int parallel, bool rotated, int threads, Action<string> progress, Runner? runner = null, string? plots = null)
    {
        runner ??= Library;
        var curves = new ConcurrentDictionary<(string Algorithm, string Function, int D, int Seed), double[]>();
        var jobs = (from f in functions from d in dimensions from s in Enumerable.Range(1, seeds) from a in algorithms.Append(AlgorithmNames.RandomSearch).Distinct() select (a, f, d, s)).ToList();
        var done = 0;
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = threads }, job =>
        {
            var problem = new BbobProblem(job.f, job.d, job.s, shifted: true, rotated: rotated);
            curves[job] = runner(job.a, problem, trials, job.s, parallel);
            var n = Interlocked.Increment(ref done);
            if (n % 20 == 0 || n == jobs.Count)
            {
                progress($"{n}/{jobs.Count} runs");
            }
        });

        var table = new StringBuilder();
        var others = algorithms.Where(a => a != AlgorithmNames.RandomSearch).ToList();
        table.Append("| function | D | RANDOM_SEARCH median gap |");
        foreach (var a in others)
        {
            table.Append(CultureInfo.InvariantCulture, $" {a} median gap | {a} log-eff. |");
        }

        table.AppendLine().Append("|---|---|---|").AppendLine(string.Concat(others.Select(_ => "---|---|")));
        var wins = others.ToDictionary(a => a, _ => 0);
        var efficiencies = others.ToDictionary(a => a, _ => new List<double>());
        foreach (var f in functions)
        {
            foreach (var d in dimensions)
            {
                var baseline = Median(Enumerable.Range(1, seeds).Select(s => curves[(AlgorithmNames.RandomSearch, f, d, s)][^1]));
                table.Append(CultureInfo.InvariantCulture, $"| {f} | {d} | {baseline:G4} |");
                foreach (var a in others)
                {
                    var gap = Median(Enumerable.Range(1, seeds).Select(s => curves[(a, f, d, s)][^1]));
                    var eff = Enumerable.Range(1, seeds).Select(s => AlgorithmRunner.LogEfficiency(curves[(AlgorithmNames.RandomSearch, f, d, s)], curves[(a, f, d, s)])).ToList();
                    efficiencies[a].AddRange(eff);
                    if (gap < baseline)
                    {
                        wins[a]++;
                    }

                    table.Append(CultureInfo.InvariantCulture, $" {gap:G4} | {Median(eff):F2} |");
                }

                table.AppendLine();
            }
        }

        if (plots is not null)
        {
            progress($"{ConvergencePlots.Write(plots, curves).Count} convergence plots in {plots}");
        }

        var cells = functions.Count * dimensions.Count;
        table.AppendLine();
        foreach (var a in others)
        {
            table.AppendLine(CultureInfo.InvariantCulture,
                $"{a}: median gap below RANDOM_SEARCH's in {wins[a]}/{cells} cells ({100.0 * wins[a] / cells:F0}%), median log-efficiency {Median(efficiencies[a]):F2}.");
        }

        return table.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
