using ScottPlot;

namespace VizierOrleans.Benchmarks;

/// <summary>One PNG per (function, D): the median best-so-far optimality gap of each algorithm against trials, log scale.</summary>
public static class ConvergencePlots
{
    public static IReadOnlyList<string> Write(string folder, IReadOnlyDictionary<(string Algorithm, string Function, int D, int Seed), double[]> curves, string variant = "shifted")
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        foreach (var group in curves.GroupBy(c => (c.Key.Function, c.Key.D)))
        {
            var plot = new Plot();
            foreach (var algorithm in group.GroupBy(c => c.Key.Algorithm).OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                var runs = algorithm.Select(a => a.Value).ToList();
                var length = runs.Min(r => r.Length);
                var median = Enumerable.Range(0, length).Select(i => runs.Select(r => r[i]).Order().ElementAt(runs.Count / 2)).ToArray();
                var xs = Enumerable.Range(1, length).Select(i => (double)i).ToArray();
                var ys = median.Select(v => Math.Log10(Math.Max(v, 1e-12))).ToArray();
                plot.Add.ScatterLine(xs, ys).LegendText = algorithm.Key;
            }

            plot.Title($"{group.Key.Function}, D = {group.Key.D} ({variant}): median best-so-far gap");
            plot.XLabel("trials");
            plot.YLabel("log10 optimality gap");
            plot.ShowLegend(Alignment.UpperRight);
            plot.Axes.AutoScale();
            var path = Path.Combine(folder, $"{group.Key.Function.Replace('/', '_')}-D{group.Key.D}.png");
            plot.SavePng(path, 800, 500);
            files.Add(path);
        }

        return files;
    }
}
