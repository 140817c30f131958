using System.Collections.Immutable;
using VizierOrleans.Bbob;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Algorithms.Evolution;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Algorithms.Evolution;

public sealed class EvolutionTests
{
    /// <summary>Runs an algorithm like a study with <paramref name="parallel"/> trials in flight, completing them with <paramref name="evaluate"/>.</summary>
    private static List<Trial> Run(string algorithm, StudyConfig config, int trials, Func<IReadOnlyDictionary<string, ParameterValue>, Measurement?> evaluate, long seed = 1, int parallel = 1)
    {
        var instance = AlgorithmRegistry.Create(algorithm);
        var all = new List<Trial>();
        var metadata = config.Metadata;
        while (all.Count < trials)
        {
            var outcome = instance.Suggest(new SuggestionContext { Config = config, Trials = all, Count = parallel, NextTrialId = all.Count + 1, Seed = seed, StudyMetadata = metadata });
            metadata = metadata.With(outcome.MetadataUpdates);
            foreach (var p in outcome.Suggestions)
            {
                SearchSpace.Validate(config, p, algorithm);
                var m = evaluate(p);
                all.Add(new Trial
                {
                    StudyName = "owners/t/studies/evo",
                    Id = all.Count + 1,
                    Parameters = p,
                    State = m is null ? TrialState.Infeasible : TrialState.Succeeded,
                    FinalMeasurement = m,
                    InfeasibleReason = m is null ? "infeasible" : null,
                });
            }
        }

        return all;
    }

    public static TheoryData<string> MixedSpaceAlgorithms => [AlgorithmNames.RegularizedEvolution, AlgorithmNames.Nsga2, AlgorithmNames.EagleStrategy];

    [Theory]
    [MemberData(nameof(MixedSpaceAlgorithms))]
    public void Suggestions_fit_a_mixed_conditional_space_and_repeat_under_the_seed(string algorithm)
    {
        var config = TestConfigs.Mixed(algorithm) with { Metadata = Metadata.Empty.With(Nsga2.Namespace, "population_size", "10").With(RegularizedEvolution.Namespace, "population_size", "10").With(EagleStrategy.Namespace, "population_size", "5") };
        Measurement? Score(IReadOnlyDictionary<string, ParameterValue> p) =>
            p["layers"].AsDouble() == 5 ? null : Measurement.Of("accuracy", p["lr"].AsDouble() + (p["model"].Text == "net" ? 1 : 0));
        var a = Run(algorithm, config, 60, Score, seed: 3, parallel: 3);
        var b = Run(algorithm, config, 60, Score, seed: 3, parallel: 3);
        Assert.Equal(a.Select(t => Format(t.Parameters)), b.Select(t => Format(t.Parameters)));
        Assert.NotEqual(a.Select(t => Format(t.Parameters)), Run(algorithm, config, 60, Score, seed: 4, parallel: 3).Select(t => Format(t.Parameters)));
        Assert.Contains(a, t => t.Parameters.ContainsKey("split"));
        Assert.Contains(a, t => t.Parameters.ContainsKey("dropout"));
    }

    [Fact]
    public void Cma_es_refuses_categorical_and_conditional_spaces_by_name()
    {
        var e = Assert.Throws<InvalidStudyConfigException>(() => new CmaEs().Check(TestConfigs.Mixed(AlgorithmNames.CmaEs)));
        Assert.Equal("algorithm", e.Field);
        Assert.Contains("'model'", e.Message);
    }

    [Fact]
    public void Cma_es_handles_scales_and_repeats_under_the_seed()
    {
        var config = new StudyConfig
        {
            Parameters = [ParameterConfig.Double("lr", 1e-4, 1, ScaleType.Log), ParameterConfig.Double("m", 0.5, 0.999, ScaleType.ReverseLog), ParameterConfig.Integer("n", 1, 64, ScaleType.Log), ParameterConfig.Discrete("d", [1, 2, 4, 8])],
            Metrics = [MetricConfig.Objective("loss", MetricGoal.Minimize)],
            Algorithm = AlgorithmNames.CmaEs,
        };
        Measurement Loss(IReadOnlyDictionary<string, ParameterValue> p) => Measurement.Of("loss", Math.Pow(Math.Log10(p["lr"].AsDouble()) + 2, 2) + Math.Abs(p["n"].AsDouble() - 8));
        var a = Run(AlgorithmNames.CmaEs, config, 60, Loss, seed: 9, parallel: 2);
        Assert.Equal(a.Select(t => Format(t.Parameters)), Run(AlgorithmNames.CmaEs, config, 60, Loss, seed: 9, parallel: 2).Select(t => Format(t.Parameters)));
        var early = a.Take(15).Min(t => t.FinalMeasurement!.Metrics["loss"]);
        var late = a.Skip(45).Min(t => t.FinalMeasurement!.Metrics["loss"]);
        Assert.True(late <= early, $"no progress: {early} -> {late}");
    }

    [Theory]
    [InlineData(AlgorithmNames.RegularizedEvolution)]
    [InlineData(AlgorithmNames.CmaEs)]
    [InlineData(AlgorithmNames.EagleStrategy)]
    public void Beats_random_search_on_a_shifted_sphere(string algorithm)
    {
        var wins = 0;
        for (var seed = 1; seed <= 3; seed++)
        {
            var problem = new BbobProblem("Sphere", 4, seed);
            var config = AlgorithmRunner.Config(4, algorithm, seed) with { Metadata = Metadata.Empty.With(RegularizedEvolution.Namespace, "population_size", "20").With(RegularizedEvolution.Namespace, "tournament_size", "5") };
            Measurement Eval(IReadOnlyDictionary<string, ParameterValue> p) => Measurement.Of("value", problem.Evaluate([.. Enumerable.Range(0, 4).Select(i => p[$"x{i}"].AsDouble())]));
            var evolved = Run(algorithm, config, 150, Eval, seed).Min(t => t.FinalMeasurement!.Metrics["value"]);
            var random = Run(AlgorithmNames.RandomSearch, config, 150, Eval, seed).Min(t => t.FinalMeasurement!.Metrics["value"]);
            wins += evolved < random ? 1 : 0;
        }

        Assert.True(wins >= 2, $"{algorithm} beat random search in {wins} of 3 seeds");
    }

    [Fact]
    public void Nsga2_approaches_the_front_of_two_spheres_and_avoids_unsafe_points()
    {
        // f1 = |x - a|^2, f2 = |x - b|^2: the Pareto set is the segment from a to b. Safety: x0 must stay below 3.
        var config = new StudyConfig
        {
            Parameters = [ParameterConfig.Double("x0", -5, 5), ParameterConfig.Double("x1", -5, 5)],
            Metrics = [MetricConfig.Objective("f1", MetricGoal.Minimize), MetricConfig.Objective("f2", MetricGoal.Minimize), new MetricConfig { Name = "x0", Goal = MetricGoal.Minimize, SafetyThreshold = 3 }],
            Algorithm = AlgorithmNames.Nsga2,
            Metadata = Metadata.Empty.With(Nsga2.Namespace, "population_size", "20"),
        };
        Measurement Eval(IReadOnlyDictionary<string, ParameterValue> p)
        {
            double x = p["x0"].AsDouble(), y = p["x1"].AsDouble();
            return Measurement.Of(new Dictionary<string, double> { ["f1"] = Math.Pow(x - 1, 2) + Math.Pow(y - 1, 2), ["f2"] = Math.Pow(x + 1, 2) + Math.Pow(y + 1, 2), ["x0"] = x });
        }

        var trials = Run(AlgorithmNames.Nsga2, config, 300, Eval, seed: 2, parallel: 4);
        var front = Objectives.Optimal(config, trials);
        Assert.True(front.Count >= 10, $"front has {front.Count} points");

        // Points on the segment y = x, x in [-1, 1] are optimal: the found front lies close to it.
        var distances = front.Select(t => Math.Abs(t.Parameters["x0"].AsDouble() - t.Parameters["x1"].AsDouble()) / Math.Sqrt(2)).Order().ToList();
        Assert.True(distances[distances.Count / 2] < 0.3, $"median distance to the Pareto set {distances[distances.Count / 2]}");
        Assert.All(front, t => Assert.True(t.Parameters["x0"].AsDouble() <= 3));

        var lastHundred = trials.TakeLast(100).Count(t => t.Parameters["x0"].AsDouble() > 3);
        var firstHundred = trials.Take(100).Count(t => t.Parameters["x0"].AsDouble() > 3);
        Assert.True(lastHundred < firstHundred, $"unsafe points: {firstHundred} early, {lastHundred} late");
    }

    private static string Format(ImmutableDictionary<string, ParameterValue> p) =>
        string.Join(" ", p.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value.AsString()}"));
}
