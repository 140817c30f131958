using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests;

internal static class TestConfigs
{
    private static int _counter;

    public static string UniqueId(string prefix = "s") => $"{prefix}{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}"[..20];

    public static StudyConfig TwoFloats(string algorithm = AlgorithmNames.RandomSearch, int? maxTrials = null, long? seed = 7) => new()
    {
        Parameters = [ParameterConfig.Double("x", -5, 5), ParameterConfig.Double("y", -5, 5)],
        Metrics = [MetricConfig.Objective("loss", MetricGoal.Minimize)],
        Algorithm = algorithm,
        MaxTrials = maxTrials,
        Seed = seed,
    };

    /// <summary>Every parameter type and scale, with two levels of conditional children.</summary>
    public static StudyConfig Mixed(string algorithm = AlgorithmNames.RandomSearch) => new()
    {
        Parameters =
        [
            ParameterConfig.Double("lr", 1e-4, 1e-1, ScaleType.Log),
            ParameterConfig.Double("momentum", 0.5, 0.999, ScaleType.ReverseLog),
            ParameterConfig.Integer("layers", 1, 5),
            ParameterConfig.Integer("units", 16, 1024, ScaleType.Log),
            ParameterConfig.Discrete("batch", [16, 32, 64, 128], ScaleType.Log),
            ParameterConfig.Categorical("model", "linear", "tree", "net")
                .WithChild(ParameterConfig.Integer("depth", 1, 12)
                    .WithChild(ParameterConfig.Categorical("split", "gini", "entropy"), 5, 6, 7), "tree")
                .WithChild(ParameterConfig.Discrete("dropout", [0.0, 0.1, 0.5]), "net"),
        ],
        Metrics = [MetricConfig.Objective("accuracy", MetricGoal.Maximize)],
        Algorithm = algorithm,
        Seed = 11,
    };
}
