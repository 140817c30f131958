using System.Collections.Immutable;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Algorithms;

public sealed class BasicAlgorithmTests
{
    public static TheoryData<string> Names => [AlgorithmNames.RandomSearch, AlgorithmNames.QuasiRandomSearch, AlgorithmNames.GridSearch, AlgorithmNames.ShuffledGridSearch];

    /// <summary>Runs an algorithm the way the study grain does: metadata updates carried over, ids advancing.</summary>
    internal static List<ImmutableDictionary<string, ParameterValue>> Run(string name, StudyConfig config, int calls, int count, long seed = 3)
    {
        var algorithm = AlgorithmRegistry.Create(name);
        var metadata = Metadata.Empty;
        var next = 1L;
        var all = new List<ImmutableDictionary<string, ParameterValue>>();
        for (var c = 0; c < calls; c++)
        {
            var outcome = algorithm.Suggest(new SuggestionContext { Config = config, Count = count, NextTrialId = next, Seed = seed, StudyMetadata = metadata });
            metadata = metadata.With(outcome.MetadataUpdates);
            next += outcome.Suggestions.Count;
            all.AddRange(outcome.Suggestions);
            if (outcome.Exhausted)
            {
                break;
            }
        }

        return all;
    }

    // Found by AlgorithmProperties: such a study was created, and then every suggestion failed.
    [Theory]
    [InlineData(AlgorithmNames.GridSearch)]
    [InlineData(AlgorithmNames.ShuffledGridSearch)]
    public void Grid_search_refuses_at_creation_a_grid_too_large_to_enumerate(string name)
    {
        var config = TestConfigs.TwoFloats(name) with { Parameters = [.. Enumerable.Range(0, 8).Select(i => ParameterConfig.Double($"x{i}", 0, 1))] };
        var requirement = Assert.IsAssignableFrom<ISearchSpaceRequirement>(AlgorithmRegistry.Create(name));
        var e = Assert.Throws<InvalidStudyConfigException>(() => requirement.Check(config));
        Assert.Equal("algorithm", e.Field);
        Assert.Contains("100000000 points", e.Message);
        requirement.Check(TestConfigs.Mixed(name));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_suggestion_fits_a_mixed_conditional_space(string name)
    {
        var config = TestConfigs.Mixed(name);
        var points = Run(name, config, calls: 20, count: 10);
        Assert.NotEmpty(points);
        foreach (var p in points)
        {
            SearchSpace.Validate(config, p, name);
        }

        // Every branch of the conditional tree is reached.
        Assert.Contains(points, p => p.ContainsKey("split"));
        Assert.Contains(points, p => p.ContainsKey("dropout"));
        Assert.Contains(points, p => p["model"].Text == "linear");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Same_seed_same_suggestions_other_seed_other_suggestions(string name)
    {
        var config = TestConfigs.Mixed(name);
        var a = Run(name, config, 5, 4, seed: 1);
        var b = Run(name, config, 5, 4, seed: 1);
        Assert.Equal(a.Select(Format), b.Select(Format));
        if (name != AlgorithmNames.GridSearch)
        {
            Assert.NotEqual(a.Select(Format), Run(name, config, 5, 4, seed: 2).Select(Format));
        }
    }

    [Fact]
    public void Random_search_is_uniform_in_the_log_scale()
    {
        var config = TestConfigs.TwoFloats() with { Parameters = [ParameterConfig.Double("lr", 1e-4, 1, ScaleType.Log)] };
        var values = Run(AlgorithmNames.RandomSearch, config, 1, 4000).Select(p => p["lr"].AsDouble()).ToList();
        Assert.All(values, v => Assert.InRange(v, 1e-4, 1));
        var belowOnePercent = values.Count(v => v < 1e-2) / (double)values.Count;
        Assert.InRange(belowOnePercent, 0.45, 0.55);
    }

    [Fact]
    public void Quasi_random_points_are_distinct_and_fill_the_square()
    {
        var config = TestConfigs.TwoFloats() with { Parameters = [ParameterConfig.Double("x", 0, 1), ParameterConfig.Double("y", 0, 1)] };
        var points = Run(AlgorithmNames.QuasiRandomSearch, config, 4, 64).Select(p => (X: p["x"].AsDouble(), Y: p["y"].AsDouble())).ToList();
        Assert.Equal(256, points.Distinct().Count());
        // Low discrepancy: each of the 16 cells of a 4x4 grid gets 16 +- 6 points (random sampling varies far more often).
        var cells = points.GroupBy(p => ((int)(p.X * 4), (int)(p.Y * 4))).ToList();
        Assert.Equal(16, cells.Count);
        Assert.All(cells, c => Assert.InRange(c.Count(), 10, 22));
    }

    [Fact]
    public void Grid_enumerates_exactly_the_grid_then_reports_exhaustion()
    {
        var config = new StudyConfig
        {
            Parameters =
            [
                ParameterConfig.Categorical("opt", "sgd", "adam").WithChild(ParameterConfig.Discrete("beta", [0.9, 0.99]), "adam"),
                ParameterConfig.Integer("n", 1, 2),
            ],
            Metrics = [MetricConfig.Objective("m", MetricGoal.Maximize)],
        };
        Assert.Equal(6, GridSearch.CountPoints(config.Parameters));
        var points = Run(AlgorithmNames.GridSearch, config, calls: 10, count: 4);
        Assert.Equal(
            ["opt=sgd n=1", "opt=sgd n=2", "beta=0.9 opt=adam n=1", "beta=0.9 opt=adam n=2", "beta=0.99 opt=adam n=1", "beta=0.99 opt=adam n=2"],
            points.Select(Format));

        var shuffled = Run(AlgorithmNames.ShuffledGridSearch, config, calls: 10, count: 4).Select(Format).ToList();
        Assert.Equal(points.Select(Format).Order(), shuffled.Order());
        Assert.NotEqual(points.Select(Format), shuffled);

        var last = new GridSearch(false).Suggest(new SuggestionContext
        {
            Config = config,
            Count = 3,
            StudyMetadata = Metadata.Empty.With("grid_search", "next_index", "6"),
        });
        Assert.Empty(last.Suggestions);
        Assert.True(last.Exhausted);
    }

    [Fact]
    public void Grid_of_doubles_uses_ten_points_in_the_parameter_scale()
    {
        var values = GridSearch.Values(ParameterConfig.Double("lr", 1e-5, 1e-1, ScaleType.Log)).Select(v => v.AsDouble()).ToList();
        Assert.Equal(10, values.Count);
        Assert.Equal(1e-5, values[0], 12);
        Assert.Equal(1e-1, values[^1], 12);
        Assert.Equal(values[1] / values[0], values[5] / values[4], 6);
        Assert.Equal([3.0, 4.0, 5.0], GridSearch.Values(ParameterConfig.Integer("n", 3, 5)).Select(v => v.AsDouble()));
    }

    [Theory]
    [InlineData(ScaleType.Linear)]
    [InlineData(ScaleType.Log)]
    [InlineData(ScaleType.ReverseLog)]
    public void Scaler_round_trips_and_snaps(ScaleType scale)
    {
        var p = ParameterConfig.Double("x", 0.5, 50, scale);
        foreach (var u in new[] { 0.0, 0.25, 0.5, 0.9, 1.0 })
        {
            Assert.Equal(u, ParameterScaler.ToUnit(p, ParameterScaler.FromUnit(p, u)), 9);
        }

        var n = ParameterConfig.Integer("n", 1, 100, scale);
        Assert.All(Enumerable.Range(0, 50).Select(i => ParameterScaler.FromUnit(n, i / 49.0)), v => Assert.True(n.IsFeasible(v)));
        var d = ParameterConfig.Discrete("d", [1, 2, 8, 64], scale);
        Assert.All(Enumerable.Range(0, 50).Select(i => ParameterScaler.FromUnit(d, i / 49.0)), v => Assert.True(d.IsFeasible(v)));
    }

    private static string Format(ImmutableDictionary<string, ParameterValue> p) =>
        string.Join(" ", p.OrderBy(kv => kv.Key == "n" ? 1 : 0).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value.AsString()}"));
}
