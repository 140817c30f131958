using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using VizierOrleans.Bbob;
using VizierOrleans.Bbob.Problems;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Benchmarks;

/// <summary>
/// Multi-objective problems (ZDT, DTLZ2, two spheres, Fonseca-Fleming): hypervolume of everything found against each
/// problem's fixed reference point, for our algorithms and the Optuna peers on the same problems, budgets and seeds.
/// </summary>
public static class MultiObjectiveBenchmark
{
    /// <summary>Suggestions per call (as 4 workers in lockstep), for ours and the peers alike.</summary>
    public const int Batch = 4;

    /// <summary>Runs every (problem, algorithm or peer, seed) and returns the table and one summary line per entry.</summary>
    public static string Run(IReadOnlyList<string> algorithms, IReadOnlyList<string> peers, IReadOnlyList<string> problemNames, int trials, int seeds, int threads, Action<string> progress)
    {
        var problems = problemNames.Select(MultiObjectiveProblem.Create).ToList();
        var ours = algorithms.Append(AlgorithmNames.RandomSearch).Distinct().ToList();
        var volumes = new ConcurrentDictionary<(string Problem, string Algorithm, int Seed), double>();
        var peerJobs = (from p in problems from a in peers from s in Enumerable.Range(1, seeds) select (p, a, s)).ToList();
        var peerTask = Task.Run(() => OptunaPeers.Run([.. peerJobs.Select(j => new PeerJob(j.p, j.a, trials, j.s, Batch: Batch))], Math.Max(1, threads / 2), progress));
        var jobs = (from p in problems from a in ours from s in Enumerable.Range(1, seeds) select (p, a, s)).ToList();
        var done = 0;
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = threads }, job =>
        {
            var values = AlgorithmRunner.RunBatches(QualityBenchmark.Create(job.a), job.p, trials, job.s, Batch);
            volumes[(job.p.Name, job.a, job.s)] = Hypervolume.Of(values, job.p.Reference);
            if (Interlocked.Increment(ref done) % 20 == 0)
            {
                progress($"{done}/{jobs.Count} runs");
            }
        });
        var peerValues = peerTask.GetAwaiter().GetResult();
        for (var i = 0; i < peerJobs.Count; i++)
        {
            volumes[(peerJobs[i].p.Name, peerJobs[i].a, peerJobs[i].s)] = Hypervolume.Of(peerValues[i], peerJobs[i].p.Reference);
        }

        var everyone = ours.Concat(peers).Distinct().ToList();
        var best = everyone.ToDictionary(a => a, _ => 0);
        var table = new StringBuilder("| problem | objectives | D | reference | algorithm | trials | seeds | hypervolume (median) | min | max |\n|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var problem in problems)
        {
            var stats = everyone.ToDictionary(a => a, a => Enumerable.Range(1, seeds).Select(s => volumes[(problem.Name, a, s)]).Order().ToList());
            var top = stats.Values.Max(Median);
            foreach (var a in everyone)
            {
                var v = stats[a];
                var median = Median(v);
                best[a] += median >= top ? 1 : 0;
                var shown = median.ToString("G6", CultureInfo.InvariantCulture);
                shown = median >= top ? $"**{shown}**" : shown;
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {problem.Name} | {problem.Objectives} | {problem.D} | ({string.Join(", ", problem.Reference)}) | {a} | {trials} | {seeds} | {shown} | {v[0]:G6} | {v[^1]:G6} |");
            }
        }

        table.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{problems.Count} problems, {seeds} seeds, {Batch} suggestions per call; best median hypervolume in bold (ties count for each).");
        foreach (var a in everyone)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"- {a}: best median hypervolume in {best[a]}/{problems.Count} problems ({100.0 * best[a] / problems.Count:F0}%).");
        }

        return table.ToString();
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
