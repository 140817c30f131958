using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf.WellKnownTypes;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grpc.Mapping;
using Wire = VizierOrleans.Grpc.Protocol;
using Spec = VizierOrleans.Grpc.Protocol.StudySpec.Types;

namespace VizierOrleans.Tests.Properties;

/// <summary>
/// An input, the name of the one thing done to it ("valid" when nothing), and whether the service must accept it,
/// so that a failing case reads well.
/// </summary>
internal sealed record Case<T>(string Mutation, T Value, bool Valid, long Seed)
{
    public override string ToString() => $"{Mutation}{(Valid ? "" : " (invalid)")}, seed {Seed}: {(Value is StudyConfig c ? StudyGenerators.Describe(c) : Value?.ToString())}";
}

/// <summary>An intermediate and a final measurement for one trial.</summary>
internal sealed record MeasurementPair(Measurement Intermediate, Measurement Final)
{
    public override string ToString() => $"intermediate {Describe(Intermediate)}, final {Describe(Final)}";

    private static string Describe(Measurement m) =>
        $"{{{string.Join(", ", m.Metrics.Select(kv => $"{kv.Key}: {kv.Value}"))}}} steps {m.Steps} seconds {m.ElapsedSeconds}";
}

/// <summary>Partly invalid inputs: valid ones, and valid ones with one rule broken, for the domain model and the wire.</summary>
internal static class InvalidInputs
{
    private static readonly string[] Algorithms = [AlgorithmNames.RandomSearch, AlgorithmNames.QuasiRandomSearch, AlgorithmNames.GridSearch, AlgorithmNames.Default];

    private static readonly (string Name, Func<StudyConfig, StudyConfig> Apply)[] ConfigMutations =
    [
        ("valid", c => c),
        ("no parameters", c => c with { Parameters = [] }),
        ("empty parameter name", c => Root(c, p => p with { Name = " " })),
        ("duplicate parameter name", c => c with { Parameters = c.Parameters.Add(c.Parameters[0] with { Children = [] }) }),
        ("min above max", c => Root(c, p => p with { Type = ParameterType.Double, Min = 2, Max = 1, Scale = ScaleType.Linear, Default = null, Children = [] })),
        ("NaN bound", c => Root(c, p => p with { Type = ParameterType.Double, Min = double.NaN, Max = 1, Default = null, Children = [] })),
        ("infinite bound", c => Root(c, p => p with { Type = ParameterType.Integer, Min = 0, Max = double.PositiveInfinity, Default = null, Children = [] })),
        ("fractional integer bound", c => Root(c, p => p with { Type = ParameterType.Integer, Min = 0.5, Max = 3, Scale = ScaleType.Linear, Default = null, Children = [] })),
        ("no discrete values", c => Root(c, p => p with { Type = ParameterType.Discrete, FeasibleValues = [], Default = null, Children = [] })),
        ("unsorted discrete values", c => Root(c, p => p with { Type = ParameterType.Discrete, FeasibleValues = [3, 1, 2], Scale = ScaleType.Linear, Default = null, Children = [] })),
        ("duplicate discrete values", c => Root(c, p => p with { Type = ParameterType.Discrete, FeasibleValues = [1, 1], Scale = ScaleType.Linear, Default = null, Children = [] })),
        ("no categories", c => Root(c, p => p with { Type = ParameterType.Categorical, Categories = [], Scale = ScaleType.Linear, Default = null, Children = [] })),
        ("duplicate categories", c => Root(c, p => p with { Type = ParameterType.Categorical, Categories = ["a", "a"], Scale = ScaleType.Linear, Default = null, Children = [] })),
        ("scaled categories", c => Root(c, p => p with { Type = ParameterType.Categorical, Categories = ["a", "b"], Scale = ScaleType.Log, Default = null, Children = [] })),
        ("log scale below zero", c => Root(c, p => p with { Type = ParameterType.Double, Min = -1, Max = 1, Scale = ScaleType.Log, Default = null, Children = [] })),
        ("unknown scale", c => Root(c, p => p with { Type = ParameterType.Double, Min = 1, Max = 2, Scale = (ScaleType)42, Default = null, Children = [] })),
        ("unknown parameter type", c => Root(c, p => p with { Type = (ParameterType)42 })),
        ("infeasible default", c => Root(c, p => p with { Type = ParameterType.Double, Min = 0, Max = 1, Scale = ScaleType.Linear, Default = ParameterValue.Of(5), Children = [] })),
        ("child of a DOUBLE", c => Root(c, p => ParameterConfig.Double(p.Name, 0, 1).WithChild(ParameterConfig.Integer(p.Name + "_x", 1, 2), 0.5))),
        ("child without parent values", c => Root(c, p => ParameterConfig.Categorical(p.Name, "a", "b") with { Children = [new ConditionalParameter { Parameter = ParameterConfig.Integer(p.Name + "_x", 1, 2) }] })),
        ("child of an infeasible parent value", c => Root(c, p => ParameterConfig.Categorical(p.Name, "a", "b").WithChild(ParameterConfig.Integer(p.Name + "_x", 1, 2), "zzz"))),
        ("no metrics", c => c with { Metrics = [] }),
        ("empty metric name", c => c with { Metrics = c.Metrics.SetItem(0, c.Metrics[0] with { Name = "" }) }),
        ("duplicate metric", c => c with { Metrics = c.Metrics.Add(c.Metrics[0]) }),
        ("unknown goal", c => c with { Metrics = c.Metrics.SetItem(0, c.Metrics[0] with { Goal = (MetricGoal)42 }) }),
        ("NaN safety threshold", c => c with { Metrics = c.Metrics.Add(new MetricConfig { Name = "s2", SafetyThreshold = double.NaN }) }),
        ("safe fraction above one", c => c with { Metrics = c.Metrics.Add(new MetricConfig { Name = "s2", SafetyThreshold = 1, DesiredMinSafeTrialsFraction = 2 }) }),
        ("only safety metrics", c => c with { Metrics = [new MetricConfig { Name = "s2", SafetyThreshold = 1 }] }),
        ("empty algorithm", c => c with { Algorithm = "" }),
        ("unknown algorithm", c => c with { Algorithm = "NOT_AN_ALGORITHM" }),
        ("zero trial budget", c => c with { MaxTrials = 0 }),
        ("negative trial lease", c => c with { TrialLease = TimeSpan.FromSeconds(-1) }),
        ("negative stopping steps", c => c with { Stopping = c.Stopping with { MinSteps = -1 } }),
        ("negative stopping trials", c => c with { Stopping = c.Stopping with { MinCompletedTrials = -1 } }),
        ("unknown stopping rule", c => c with { Stopping = c.Stopping with { Rule = (StoppingRule)42 } }),
        ("unknown observation noise", c => c with { ObservationNoise = (ObservationNoise)42 }),
    ];

    private static readonly (string Name, Action<Wire.StudySpec> Apply)[] SpecMutations =
    [
        ("valid", _ => { }),
        ("no parameters", s => s.Parameters.Clear()),
        ("parameter without a value spec", s => s.Parameters[0] = new Spec.ParameterSpec { ParameterId = s.Parameters[0].ParameterId }),
        ("double min above max", s => s.Parameters[0] = new Spec.ParameterSpec { ParameterId = s.Parameters[0].ParameterId, DoubleValueSpec = new() { MinValue = 2, MaxValue = 1 } }),
        ("integer min above max", s => s.Parameters[0] = new Spec.ParameterSpec { ParameterId = s.Parameters[0].ParameterId, IntegerValueSpec = new() { MinValue = 2, MaxValue = 1 } }),
        ("NaN double bound", s => s.Parameters[0] = new Spec.ParameterSpec { ParameterId = s.Parameters[0].ParameterId, DoubleValueSpec = new() { MinValue = double.NaN, MaxValue = 1 } }),
        ("no categories", s => s.Parameters[0] = new Spec.ParameterSpec { ParameterId = s.Parameters[0].ParameterId, CategoricalValueSpec = new() }),
        ("duplicate discrete values", s => s.Parameters[0] = new Spec.ParameterSpec { ParameterId = s.Parameters[0].ParameterId, DiscreteValueSpec = new() { Values = { 1, 1 } } }),
        ("unknown scale", s => s.Parameters[0].ScaleType = (Spec.ParameterSpec.Types.ScaleType)42),
        ("empty parameter id", s => s.Parameters[0].ParameterId = ""),
        ("duplicate parameter id", s => s.Parameters.Add(s.Parameters[0].Clone())),
        ("child without a parameter spec", s => s.Parameters.Add(CategoricalWithChild(c => c.ParameterSpec = null))),
        ("child without parent values", s => s.Parameters.Add(CategoricalWithChild(c => c.ClearParentValueCondition()))),
        ("child of an infeasible parent value", s => s.Parameters.Add(CategoricalWithChild(c => c.ParentCategoricalValues.Values[0] = "zzz"))),
        ("no metrics", s => s.Metrics.Clear()),
        ("empty metric id", s => s.Metrics[0].MetricId = ""),
        ("unspecified goal", s => s.Metrics[0].Goal = Spec.MetricSpec.Types.GoalType.Unspecified),
        ("unknown goal", s => s.Metrics[0].Goal = (Spec.MetricSpec.Types.GoalType)42),
        ("NaN safety threshold", s => s.Metrics[0].SafetyConfig = new() { SafetyThreshold = double.NaN }),
        ("unknown observation noise", s => s.ObservationNoise = (Spec.ObservationNoise)42),
        ("unknown algorithm", s => s.Algorithm = "NOT_AN_ALGORITHM"),
        ("metadata in the reserved namespace", s => s.Metadata.Add(new Wire.KeyValue { Ns = ":" + MetadataMapper.ReservedNamespace, Key = "k", Value = "v" })),
        ("empty metadata key", s => s.Metadata.Add(new Wire.KeyValue { Ns = "", Key = "", Value = "v" })),
        ("metadata value with the internal marker", s => s.Metadata.Add(new Wire.KeyValue { Ns = "", Key = "k", Value = "\u0001any:x" })),
    ];

    /// <summary>A random valid config, or one with one rule broken.</summary>
    public static Arbitrary<Case<StudyConfig>> Configs() =>
        (from config in StudyGenerators.Configs(Gen.Elements(Algorithms))
         from mutation in Gen.Elements(ConfigMutations)
         from seed in StudyGenerators.Seeds()
         select new Case<StudyConfig>(mutation.Name, mutation.Apply(config with { Seed = seed }), Accepted(mutation.Name, config), seed)).ToArbitrary();

    /// <summary>A random valid wire spec, or one with one rule broken.</summary>
    public static Arbitrary<Case<Wire.StudySpec>> Specs() =>
        (from config in StudyGenerators.Configs(Gen.Elements(Algorithms))
         from mutation in Gen.Elements(SpecMutations)
         from seed in StudyGenerators.Seeds()
         select new Case<Wire.StudySpec>(mutation.Name, Mutate(StudyMapper.SpecOf(config with { Seed = seed }), mutation.Apply), Accepted(mutation.Name, config), seed)).ToArbitrary();

    /// <summary>Two measurements for one trial (see <see cref="Measurements"/>).</summary>
    public static Arbitrary<MeasurementPair> MeasurementPairs() =>
        Measurements().Two().Select(p => new MeasurementPair(p.Item1, p.Item2)).ToArbitrary();

    /// <summary>Measurements of the metrics "m0", "m1", "safe" and an unknown one, with any values, steps and durations.</summary>
    public static Gen<Measurement> Measurements() =>
        from names in Gen.SubListOf("m0", "m1", "safe", "unknown")
        from values in Gen.ArrayOf(Values(), names.Count)
        from steps in Gen.Frequency((4, Gen.Choose(0, 1000)), (1, Gen.Choose(-5, -1)))
        from seconds in Gen.Frequency((4, Gen.Elements(0.0, 1.5, 3600.0)), (1, Gen.Elements(-1.0, double.NaN, double.PositiveInfinity)))
        select new Measurement
        {
            Metrics = names.Zip(values).ToImmutableDictionary(p => p.First, p => p.Second),
            Steps = steps,
            ElapsedSeconds = seconds,
        };

    /// <summary>The wire form of a measurement, with a negative duration where the model has a negative time.</summary>
    public static Wire.Measurement ToWire(Measurement m)
    {
        var wire = new Wire.Measurement { StepCount = m.Steps };
        if (double.IsFinite(m.ElapsedSeconds))
        {
            wire.ElapsedDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(m.ElapsedSeconds));
        }

        wire.Metrics.AddRange(m.Metrics.Select(kv => new Wire.Measurement.Types.Metric { MetricId = kv.Key, Value = kv.Value }));
        return wire;
    }

    /// <summary>An unmutated config is accepted unless its algorithm cannot search the space (a grid too large to enumerate).</summary>
    private static bool Accepted(string mutation, StudyConfig config)
    {
        if (mutation != "valid")
        {
            return false;
        }

        try
        {
            (AlgorithmRegistry.Create(config.Algorithm) as ISearchSpaceRequirement)?.Check(config);
            return true;
        }
        catch (InvalidStudyConfigException)
        {
            return false;
        }
    }

    private static Gen<double> Values() =>
        Gen.Frequency((5, StudyGenerators.Between(-100, 100)), (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity)));

    private static StudyConfig Root(StudyConfig c, Func<ParameterConfig, ParameterConfig> change) =>
        c with { Parameters = c.Parameters.SetItem(0, change(c.Parameters[0])) };

    private static Wire.StudySpec Mutate(Wire.StudySpec spec, Action<Wire.StudySpec> apply)
    {
        apply(spec);
        return spec;
    }

    private static Spec.ParameterSpec CategoricalWithChild(Action<Spec.ParameterSpec.Types.ConditionalParameterSpec> change)
    {
        var child = new Spec.ParameterSpec.Types.ConditionalParameterSpec
        {
            ParameterSpec = new Spec.ParameterSpec { ParameterId = "cond_child", IntegerValueSpec = new() { MinValue = 1, MaxValue = 3 } },
            ParentCategoricalValues = new() { Values = { "a" } },
        };
        change(child);
        var parent = new Spec.ParameterSpec { ParameterId = "cond_parent", CategoricalValueSpec = new() { Values = { "a", "b" } } };
        parent.ConditionalParameterSpecs.Add(child);
        return parent;
    }
}
