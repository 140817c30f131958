using System.Diagnostics;
using System.Globalization;
using System.Text;
using VizierOrleans.Bbob;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Benchmarks;

/// <summary>
/// Latency of one suggestion and peak memory as the number of trials and dimensions grow. The CPU time of the process
/// during the call is reported too: on a shared machine it moves much less than the wall-clock time (the suggestion
/// runs on one thread; the runtime's background work is included).
/// </summary>
public static class SpeedBenchmark
{
    public static string Run(string algorithm, IReadOnlyList<int> trialCounts, IReadOnlyList<int> dimensions, int repeats)
    {
        var table = new StringBuilder("| algorithm | trials | D | p50 ms | p90 ms | max ms | p50 CPU ms | peak working set MiB |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var d in dimensions)
        {
            foreach (var n in trialCounts)
            {
                var problem = new BbobProblem("Sphere", d, seed: 1);
                var config = AlgorithmRunner.Config(d, algorithm, 1);
                var random = new Random(7);
                var trials = Enumerable.Range(1, n).Select(i =>
                {
                    var p = AssignmentBuilder.Sample(config.Parameters, random);
                    var value = problem.Evaluate([.. Enumerable.Range(0, d).Select(k => p[$"x{k}"].AsDouble())]);
                    return new Trial { StudyName = "owners/b/studies/speed", Id = i, Parameters = p, State = TrialState.Succeeded, FinalMeasurement = Measurement.Of("value", value) };
                }).ToList();
                var times = new List<double>();
                var cpu = new List<double>();
                using var process = Process.GetCurrentProcess();
                long peak = 0;

                // As in a study: each call sees the metadata the previous one left (a warm start); the first is not timed.
                var metadata = Metadata.Empty;
                for (var r = -1; r < repeats; r++)
                {
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    var outcome = AlgorithmRegistry.Create(algorithm).Suggest(new SuggestionContext { Config = config, Trials = trials, Count = 1, NextTrialId = n + 2 + r, Seed = r, StudyMetadata = metadata });
                    metadata = metadata.With(outcome.MetadataUpdates);
                    if (r < 0)
                    {
                        continue;
                    }

                    times.Add(clock.Elapsed.TotalMilliseconds);
                    process.Refresh();
                    cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                    peak = Math.Max(peak, process.PeakWorkingSet64);
                }

                times.Sort();
                cpu.Sort();
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {algorithm} | {n} | {d} | {times[times.Count / 2]:F0} | {times[(int)(times.Count * 0.9)]:F0} | {times[^1]:F0} | {cpu[cpu.Count / 2]:F0} | {peak / (1024.0 * 1024):F0} |");
            }
        }

        return table.ToString();
    }
}
