using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Bbob.Problems;

/// <summary>The study config of a benchmark problem: its space and its minimized objectives.</summary>
public static class ProblemSpace
{
    /// <summary>The metric names: "value" for one objective, "f1".."fM" for several.</summary>
    public static IReadOnlyList<string> MetricNames(int objectives) =>
        objectives == 1 ? ["value"] : [.. Enumerable.Range(1, objectives).Select(i => $"f{i}")];

    /// <summary>The config a run of <paramref name="problem"/> uses.</summary>
    public static StudyConfig Config(IBenchmarkProblem problem, string algorithm, long? seed) => new()
    {
        Parameters = [.. problem.Parameters],
        Metrics = [.. MetricNames(problem.Objectives).Select(m => MetricConfig.Objective(m, MetricGoal.Minimize))],
        Algorithm = algorithm,
        Seed = seed,
    };

    /// <summary>The measurement of the objective values.</summary>
    public static Measurement Measure(int objectives, double[] values)
    {
        var names = MetricNames(objectives);
        return objectives == 1 ? Measurement.Of("value", values[0]) : Measurement.Of(names.Select((n, i) => (n, values[i])).ToDictionary(p => p.n, p => p.Item2));
    }
}
