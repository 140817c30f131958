using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using VizierOrleans.Bbob;
using VizierOrleans.Bbob.Problems;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Benchmarks;

/// <summary>
/// Algorithms and Optuna peers x problems x seeds, single objective: our algorithms through the interface the service
/// uses, the peers in Python on the same problems (same shifts, rotations, budget, seeds and trials in flight).
/// </summary>
public static class QualityBenchmark
{
    /// <summary>One run: best-so-far gaps of (algorithm, problem, trials, seed, workers in flight).</summary>
    public delegate double[] Runner(string algorithm, IBenchmarkProblem problem, int trials, int seed, int parallel);

    /// <summary>Builds the problem of a cell (label, D) for a seed.</summary>
    public delegate IBenchmarkProblem ProblemFactory(string label, int d, int seed);

    /// <summary>A benchmark-only variant: the GP bandit without its 200-point model cap, to measure what the cap costs.</summary>
    public const string UncappedGp = "GAUSSIAN_PROCESS_BANDIT_UNCAPPED";

    /// <summary>Our algorithm by name (the registry's, or the benchmark-only variants).</summary>
    public static ISuggestionAlgorithm Create(string algorithm) =>
        algorithm == UncappedGp ? new Grains.Algorithms.GaussianProcess.GaussianProcessBandit(maxModelPoints: int.MaxValue) : AlgorithmRegistry.Create(algorithm);

    /// <summary>The library path: the algorithm called in-process exactly as the study grain calls it.</summary>
    public static double[] Library(string algorithm, IBenchmarkProblem problem, int trials, int seed, int parallel) =>
        AlgorithmRunner.BestSoFar(AlgorithmRunner.RunValues(Create(algorithm), problem, trials, seed, parallel));

    /// <summary>Runs every cell and returns the markdown tables and summary lines.</summary>
    public static string Run(
        IReadOnlyList<string> algorithms, IReadOnlyList<string> peers, IReadOnlyList<(string Label, int D)> cells, ProblemFactory problems,
        int seeds, int trials, int parallel, int threads, Action<string> progress, Runner? runner = null, string? plots = null, string variant = "shifted")
    {
        runner ??= Library;
        var ours = algorithms.Append(AlgorithmNames.RandomSearch).Distinct().ToList();
        var curves = new ConcurrentDictionary<(string Algorithm, string Function, int D, int Seed), double[]>();
        var jobs = (from c in cells from s in Enumerable.Range(1, seeds) from a in ours select (a, c.Label, c.D, s)).ToList();
        var done = 0;
        var peerJobs = (from c in cells from s in Enumerable.Range(1, seeds) from p in peers select (p, c.Label, c.D, s)).ToList();
        var peerTask = Task.Run(() => OptunaPeers.Run(
            [.. peerJobs.Select(j => new PeerJob(problems(j.Label, j.D, j.s), j.p, trials, j.s, parallel))], Math.Max(1, threads / 2), progress));
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = threads }, job =>
        {
            curves[job] = runner(job.a, problems(job.Label, job.D, job.s), trials, job.s, parallel);
            var n = Interlocked.Increment(ref done);
            if (n % 20 == 0 || n == jobs.Count)
            {
                progress($"{n}/{jobs.Count} runs");
            }
        });
        var peerValues = peerTask.GetAwaiter().GetResult();
        for (var i = 0; i < peerJobs.Count; i++)
        {
            curves[peerJobs[i]] = AlgorithmRunner.BestSoFar(peerValues[i]);
        }

        if (plots is not null)
        {
            progress($"{ConvergencePlots.Write(plots, curves, variant).Count} convergence plots in {plots}");
        }

        return Tables([.. ours.Where(a => a != AlgorithmNames.RandomSearch)], peers, cells, seeds, curves);
    }

    /// <summary>The gap table, the log-efficiency table and one summary line per algorithm and peer.</summary>
    public static string Tables(
        IReadOnlyList<string> ours, IReadOnlyList<string> peers, IReadOnlyList<(string Label, int D)> cells, int seeds,
        IReadOnlyDictionary<(string Algorithm, string Function, int D, int Seed), double[]> curves)
    {
        const string random = AlgorithmNames.RandomSearch;
        var everyone = ours.Concat(peers).Append(random).Distinct().ToList();
        double Gap(string a, (string Label, int D) c) => Median(Enumerable.Range(1, seeds).Select(s => curves[(a, c.Label, c.D, s)][^1]));
        var table = new StringBuilder("| function | D |");
        foreach (var a in everyone)
        {
            table.Append(CultureInfo.InvariantCulture, $" {a} |");
        }

        table.AppendLine().Append("|---|---|").AppendLine(string.Concat(everyone.Select(_ => "---|")));
        var best = everyone.ToDictionary(a => a, _ => 0);
        var worse = everyone.ToDictionary(a => a, _ => 0);
        foreach (var c in cells)
        {
            var gaps = everyone.ToDictionary(a => a, a => Gap(a, c));
            var min = gaps.Values.Min();
            table.Append(CultureInfo.InvariantCulture, $"| {c.Label} | {c.D} |");
            foreach (var a in everyone)
            {
                best[a] += gaps[a] <= min ? 1 : 0;
                worse[a] += gaps[a] > gaps[random] ? 1 : 0;
                var shown = gaps[a].ToString("G4", CultureInfo.InvariantCulture);
                table.Append(gaps[a] <= min ? $" **{shown}** |" : $" {shown} |");
            }

            table.AppendLine();
        }

        // Log-efficiency of each of ours against each other entry (BBOB.md), median over seeds.
        var pairs = (from a in ours from b in everyone where b != a select (a, b)).ToList();
        var efficiencies = pairs.ToDictionary(p => p, _ => new List<double>());
        table.AppendLine().Append("| function | D |");
        foreach (var (a, b) in pairs)
        {
            table.Append(CultureInfo.InvariantCulture, $" {a} vs {b} |");
        }

        table.AppendLine().Append("|---|---|").AppendLine(string.Concat(pairs.Select(_ => "---|")));
        foreach (var c in cells)
        {
            table.Append(CultureInfo.InvariantCulture, $"| {c.Label} | {c.D} |");
            foreach (var pair in pairs)
            {
                var eff = Enumerable.Range(1, seeds).Select(s => AlgorithmRunner.LogEfficiency(curves[(pair.b, c.Label, c.D, s)], curves[(pair.a, c.Label, c.D, s)])).ToList();
                efficiencies[pair].AddRange(eff);
                table.Append(CultureInfo.InvariantCulture, $" {Median(eff):F2} |");
            }

            table.AppendLine();
        }

        table.AppendLine().Append(CultureInfo.InvariantCulture, $"{cells.Count} cells, {seeds} seeds; median final gap per cell, best in bold (ties count for each).").AppendLine();
        foreach (var a in everyone)
        {
            var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"- {a}: best median gap in {best[a]}/{cells.Count} cells ({100.0 * best[a] / cells.Count:F0}%)");
            if (a != random)
            {
                line.Append(CultureInfo.InvariantCulture, $", worse than RANDOM_SEARCH in {worse[a]}/{cells.Count}");
            }

            foreach (var pair in pairs.Where(p => p.a == a))
            {
                line.Append(CultureInfo.InvariantCulture, $"; log-eff. vs {pair.b} {Median(efficiencies[pair]):F2}");
            }

            table.AppendLine(line.Append('.').ToString());
        }

        return table.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
