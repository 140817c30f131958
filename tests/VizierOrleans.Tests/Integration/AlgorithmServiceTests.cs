using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Integration;

/// <summary>The algorithm catalogue through the service path.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AlgorithmServiceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Default_algorithm_is_the_gp_bandit_and_starts_at_the_centre()
    {
        var config = new StudyConfig
        {
            Parameters = [ParameterConfig.Double("x", -5, 5), ParameterConfig.Categorical("kind", "a", "b")],
            Metrics = [MetricConfig.Objective("loss", MetricGoal.Minimize)],
            MaxTrials = 8,
            Seed = 3,
        };
        Assert.Equal(AlgorithmNames.Default, config.Algorithm);
        var study = await fixture.Client.CreateOrLoadStudyAsync("algorithms", TestConfigs.UniqueId(), config);
        var seen = new List<(double X, string Kind)>();
        await study.RunWorkerAsync("gp", (t, _) =>
        {
            seen.Add((t.GetDouble("x"), t.GetString("kind")));
            return Task.FromResult(Measurement.Of("loss", Math.Pow(t.GetDouble("x") - 2, 2) + (t.GetString("kind") == "b" ? 1 : 0)));
        });
        Assert.Equal(8, seen.Count);
        Assert.Equal(0, seen[0].X, 9);
        Assert.Equal(8, seen.Distinct().Count());
        Assert.NotNull((await study.GetAsync()).Metadata.Get("gp_bandit", "log_hyperparameters"));
    }

    [Fact]
    public async Task Cma_es_study_with_a_categorical_parameter_is_refused_at_creation()
    {
        var id = TestConfigs.UniqueId();
        var e = await Assert.ThrowsAsync<InvalidStudyConfigException>(() =>
            fixture.Client.CreateOrLoadStudyAsync("algorithms", id, TestConfigs.Mixed(AlgorithmNames.CmaEs)));
        Assert.Equal("algorithm", e.Field);
        Assert.Contains("CATEGORICAL", e.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => fixture.Client.Study("algorithms", id).GetAsync());
    }
}
