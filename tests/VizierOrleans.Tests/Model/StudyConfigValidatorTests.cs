using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Model;

public sealed class StudyConfigValidatorTests
{
    private static readonly IReadOnlySet<string> Known = new HashSet<string> { AlgorithmNames.RandomSearch };

    private static StudyConfig With(params ParameterConfig[] parameters) => TestConfigs.TwoFloats() with { Parameters = [.. parameters] };

    private static InvalidStudyConfigException Invalid(StudyConfig config) =>
        Assert.Throws<InvalidStudyConfigException>(() => StudyConfigValidator.Validate(config, Known));

    [Fact]
    public void Valid_configs_pass()
    {
        StudyConfigValidator.Validate(TestConfigs.TwoFloats(), Known);
        StudyConfigValidator.Validate(TestConfigs.Mixed());
    }

    [Fact]
    public void Empty_search_space() => Assert.Equal("parameters", Invalid(With()).Field);

    [Fact]
    public void Min_greater_than_max()
    {
        Assert.Equal("parameters[0].min", Invalid(With(ParameterConfig.Double("x", 2, 1))).Field);
        Assert.Equal("parameters[0].min", Invalid(With(ParameterConfig.Integer("n", 5, 4))).Field);
    }

    // Found by ClientInputProperties: unknown enum values were stored and reached the algorithms.
    [Fact]
    public void Unknown_observation_noise_is_refused() =>
        Assert.Equal("observationNoise", Invalid(TestConfigs.TwoFloats() with { ObservationNoise = (ObservationNoise)42 }).Field);

    [Fact]
    public void Unknown_scale_is_refused() =>
        Assert.Equal("parameters[1].scale", Invalid(With(ParameterConfig.Double("x", 0, 1), ParameterConfig.Double("y", 1, 2, (ScaleType)42))).Field);

    [Fact]
    public void Log_scale_needs_positive_min()
    {
        var e = Invalid(With(ParameterConfig.Double("lr", 0, 1, ScaleType.Log)));
        Assert.Equal("parameters[0].scale", e.Field);
        Assert.Contains("min > 0", e.Message);
        Assert.Equal("parameters[0].scale", Invalid(With(ParameterConfig.Discrete("d", [-1, 2], ScaleType.ReverseLog))).Field);
    }

    [Fact]
    public void Duplicate_names_anywhere_in_the_tree()
    {
        Assert.Equal("parameters[1].name", Invalid(With(ParameterConfig.Double("x", 0, 1), ParameterConfig.Double("x", 0, 1))).Field);
        var nested = ParameterConfig.Categorical("c", "a", "b").WithChild(ParameterConfig.Double("x", 0, 1), "a");
        Assert.Equal("parameters[1].children[0].parameter.name", Invalid(With(ParameterConfig.Double("x", 0, 1), nested)).Field);
    }

    [Fact]
    public void Empty_or_duplicate_categories_and_discrete_values()
    {
        Assert.Equal("parameters[0].categories", Invalid(With(ParameterConfig.Categorical("c"))).Field);
        Assert.Equal("parameters[0].categories[1]", Invalid(With(ParameterConfig.Categorical("c", "a", "a"))).Field);
        Assert.Equal("parameters[0].feasibleValues", Invalid(With(ParameterConfig.Discrete("d", []))).Field);
        Assert.Equal("parameters[0].feasibleValues[1]", Invalid(With(ParameterConfig.Discrete("d", [1, 1]))).Field);
        var unsorted = new ParameterConfig { Name = "d", Type = ParameterType.Discrete, FeasibleValues = [2, 1] };
        Assert.Contains("sorted", Invalid(With(unsorted)).Message);
    }

    [Theory]
    [InlineData(double.NaN, 1)]
    [InlineData(0, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, 0)]
    public void NaN_or_infinite_bounds(double min, double max) =>
        Assert.Equal("parameters[0].min/max", Invalid(With(ParameterConfig.Double("x", min, max))).Field);

    [Fact]
    public void NaN_discrete_value() =>
        Assert.Equal("parameters[0].feasibleValues[0]", Invalid(With(new ParameterConfig { Name = "d", Type = ParameterType.Discrete, FeasibleValues = [double.NaN] })).Field);

    [Fact]
    public void Integer_bounds_must_be_whole() =>
        Assert.Equal("parameters[0].min/max", Invalid(With(new ParameterConfig { Name = "n", Type = ParameterType.Integer, Min = 0.5, Max = 3 })).Field);

    [Fact]
    public void Conditional_child_needs_a_feasible_parent_value()
    {
        var e = Invalid(With(ParameterConfig.Categorical("c", "a", "b").WithChild(ParameterConfig.Double("x", 0, 1), "z")));
        Assert.Equal("parameters[0].children[0].parentValues[0]", e.Field);
        Assert.Contains("'z'", e.Message.Replace("\"", "'"));
        Assert.Equal("parameters[0].children[0].parentValues[0]",
            Invalid(With(ParameterConfig.Integer("n", 1, 3).WithChild(ParameterConfig.Double("x", 0, 1), 7))).Field);
        Assert.Equal("parameters[0].children[0]",
            Invalid(With(ParameterConfig.Double("d", 0, 1).WithChild(ParameterConfig.Double("x", 0, 1), 0.5))).Field);
        Assert.Equal("parameters[0].children[0].parentValues",
            Invalid(With(ParameterConfig.Categorical("c", "a").WithChild(ParameterConfig.Double("x", 0, 1)))).Field);
    }

    [Fact]
    public void Default_must_be_feasible() =>
        Assert.Equal("parameters[0].default", Invalid(With(ParameterConfig.Double("x", 0, 1) with { Default = 2.0 })).Field);

    [Fact]
    public void Unknown_algorithm()
    {
        var e = Invalid(TestConfigs.TwoFloats() with { Algorithm = "SIMULATED_ANNEALING" });
        Assert.Equal("algorithm", e.Field);
        Assert.Contains("SIMULATED_ANNEALING", e.Message);
    }

    [Fact]
    public void Metrics_rules()
    {
        Assert.Equal("metrics", Invalid(TestConfigs.TwoFloats() with { Metrics = [] }).Field);
        Assert.Equal("metrics[1].name", Invalid(TestConfigs.TwoFloats() with { Metrics = [MetricConfig.Objective("a", MetricGoal.Maximize), MetricConfig.Objective("a", MetricGoal.Minimize)] }).Field);
        Assert.Equal("metrics", Invalid(TestConfigs.TwoFloats() with { Metrics = [new MetricConfig { Name = "s", SafetyThreshold = 1 }] }).Field);
        Assert.Equal("metrics[0].goal", Invalid(TestConfigs.TwoFloats() with { Metrics = [new MetricConfig { Name = "s", Goal = 0 }] }).Field);
        Assert.Equal("metrics[1].desiredMinSafeTrialsFraction", Invalid(TestConfigs.TwoFloats() with
        {
            Metrics = [MetricConfig.Objective("a", MetricGoal.Maximize), new MetricConfig { Name = "s", SafetyThreshold = 1, DesiredMinSafeTrialsFraction = 1.5 }],
        }).Field);
    }

    [Fact]
    public void Budget_must_be_positive() =>
        Assert.Equal("maxTrials", Invalid(TestConfigs.TwoFloats(maxTrials: 0)).Field);

    [Fact]
    public void Trial_parameters_are_checked_against_the_active_space()
    {
        var config = TestConfigs.Mixed();
        var ok = new Dictionary<string, ParameterValue>
        {
            ["lr"] = 0.01, ["momentum"] = 0.9, ["layers"] = 2.0, ["units"] = 64.0, ["batch"] = 32.0, ["model"] = "tree", ["depth"] = 5.0, ["split"] = "gini",
        };
        SearchSpace.Validate(config, ok, "t");
        Assert.Contains("'split' is missing", Assert.Throws<InvalidArgumentException>(() => SearchSpace.Validate(config, ok.Where(kv => kv.Key != "split").ToDictionary(), "t")).Message);
        var inactive = new Dictionary<string, ParameterValue>(ok) { ["dropout"] = 0.1 };
        Assert.Contains("'dropout' is not an active parameter", Assert.Throws<InvalidArgumentException>(() => SearchSpace.Validate(config, inactive, "t")).Message);
        var fractional = new Dictionary<string, ParameterValue>(ok) { ["layers"] = 2.5 };
        Assert.Contains("'layers' = 2.5", Assert.Throws<InvalidArgumentException>(() => SearchSpace.Validate(config, fractional, "t")).Message);
    }
}
