using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using FsCheck;
using FsCheck.Fluent;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Properties;

/// <summary>A generated study: a valid config (every parameter type and scale, nested conditional children) and a seed.</summary>
internal sealed record GeneratedStudy(StudyConfig Config, long Seed)
{
    /// <summary>The config as JSON, so that a failing case can be read and kept as a regular test.</summary>
    public override string ToString() => $"seed {Seed}: {StudyGenerators.Describe(Config)}";
}

/// <summary>FsCheck generators of valid study configs, and of mutations that break exactly one rule.</summary>
internal static class StudyGenerators
{
    private static readonly ScaleType[] NumericScales = [ScaleType.Linear, ScaleType.Log, ScaleType.ReverseLog];

    private static readonly JsonSerializerOptions Compact = new()
    {
        IgnoreReadOnlyProperties = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>A config as compact JSON (settable properties only, defaults left out).</summary>
    public static string Describe(StudyConfig config) => JsonSerializer.Serialize(config, Compact);

    /// <summary>A number in [lo, hi] on a grid of a million steps (so that values print and repeat exactly).</summary>
    public static Gen<double> Between(double lo, double hi) =>
        Gen.Choose(0, 1_000_000).Select(i => lo + ((hi - lo) * i / 1_000_000.0));

    /// <summary>A seed anywhere in the long range.</summary>
    public static Gen<long> Seeds() =>
        Gen.Choose(int.MinValue, int.MaxValue).Zip(Gen.Choose(int.MinValue, int.MaxValue), (hi, lo) => ((long)hi << 32) | (uint)lo);

    /// <summary>One parameter named <paramref name="name"/> with up to <paramref name="depth"/> levels of children.</summary>
    public static Gen<ParameterConfig> Parameter(string name, int depth) =>
        from type in Gen.Elements(ParameterType.Double, ParameterType.Integer, ParameterType.Discrete, ParameterType.Categorical)
        from scale in type == ParameterType.Categorical ? Gen.Constant(ScaleType.Linear) : Gen.Elements(NumericScales)
        from bare in Bare(name, type, scale)
        from withDefault in Default(bare)
        from children in depth == 0 || type == ParameterType.Double ? Gen.Constant(Array.Empty<ConditionalParameter>()) : Children(withDefault, depth)
        select withDefault with { Children = [.. children] };

    /// <summary>A valid config of 1-4 root parameters (up to two levels of children) and 1-3 metrics.</summary>
    public static Gen<StudyConfig> Configs(Gen<string> algorithms) =>
        from roots in Gen.Choose(1, 4)
        from depths in Gen.ArrayOf(Gen.Choose(0, 2), roots)
        from parameters in Gen.CollectToArray(Enumerable.Range(0, roots).Select(i => Parameter($"p{i}", depths[i])))
        from metrics in Metrics()
        from algorithm in algorithms
        from noise in Gen.Elements(ObservationNoise.Unspecified, ObservationNoise.Low, ObservationNoise.High)
        from stopping in Gen.Elements(StoppingRule.None, StoppingRule.Median)
        select new StudyConfig
        {
            Parameters = [.. parameters],
            Metrics = [.. metrics],
            Algorithm = algorithm,
            ObservationNoise = noise,
            Stopping = new StoppingConfig { Rule = stopping },
        };

    /// <summary>A valid config and a seed, for any algorithm.</summary>
    public static Arbitrary<GeneratedStudy> Studies(Gen<string> algorithms) =>
        (from config in Configs(algorithms)
         from seed in Seeds()
         select new GeneratedStudy(config with { Seed = seed }, seed)).ToArbitrary();

    /// <summary>Every name in the parameter tree gets a feasible value from <paramref name="pick"/>; only active parameters are set.</summary>
    public static ImmutableDictionary<string, ParameterValue> Assignment(StudyConfig config, Func<ParameterConfig, ParameterValue> pick)
    {
        var result = SearchSpace.NewAssignment();
        var pending = new Stack<ParameterConfig>(config.Parameters);
        while (pending.TryPop(out var p))
        {
            var value = pick(p);
            result[p.Name] = value;
            foreach (var child in SearchSpace.ActiveChildren(p, value))
            {
                pending.Push(child);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The lowest feasible value of a parameter.</summary>
    public static ParameterValue Lowest(ParameterConfig p) =>
        p.Type == ParameterType.Categorical ? ParameterValue.Of(p.Categories[0]) : ParameterValue.Of(p.LowerBound);

    /// <summary>Up to ten feasible values of a parameter that takes finitely many (INTEGER, DISCRETE, CATEGORICAL).</summary>
    public static IReadOnlyList<ParameterValue> SomeFeasibleValues(ParameterConfig p) => p.Type switch
    {
        ParameterType.Integer => [.. Enumerable.Range(0, (int)Math.Min(10, p.Max - p.Min + 1)).Select(i => ParameterValue.Of(p.Min + i))],
        ParameterType.Discrete => [.. p.FeasibleValues.Select(ParameterValue.Of)],
        ParameterType.Categorical => [.. p.Categories.Select(ParameterValue.Of)],
        _ => [],
    };

    private static Gen<ParameterConfig> Bare(string name, ParameterType type, ScaleType scale)
    {
        var positive = scale != ScaleType.Linear;
        return type switch
        {
            ParameterType.Double =>
                from min in positive ? Between(-6, 2).Select(e => Math.Pow(10, e)) : Between(-100, 100)
                from width in Gen.Frequency((1, Gen.Constant(0.0)), (9, positive ? Between(0, 6) : Between(1e-3, 1000)))
                select ParameterConfig.Double(name, min, positive ? min * Math.Pow(10, width) : min + width, scale),
            ParameterType.Integer =>
                from min in positive ? Gen.Choose(1, 100) : Gen.Choose(-50, 50)
                from width in Gen.Choose(0, 200)
                select ParameterConfig.Integer(name, min, min + width, scale),
            ParameterType.Discrete =>
                from values in Gen.NonEmptyListOf(positive ? Gen.Choose(1, 1000) : Gen.Choose(-1000, 1000)).Select(v => v.Take(6))
                select ParameterConfig.Discrete(name, values.Distinct().Select(v => v / 10.0), scale),
            _ =>
                from count in Gen.Choose(1, 5)
                select ParameterConfig.Categorical(name, Enumerable.Range(0, count).Select(i => $"{name}-c{i}")),
        };
    }

    private static Gen<ParameterConfig> Default(ParameterConfig p)
    {
        Gen<ParameterValue> value = p.Type switch
        {
            ParameterType.Double => Between(p.Min, p.Max).Select(ParameterValue.Of),
            ParameterType.Integer => Gen.Choose((int)p.Min, (int)p.Max).Select(i => ParameterValue.Of(i)),
            _ => Gen.Elements(SomeFeasibleValues(p).ToArray()),
        };
        return Gen.Frequency((2, Gen.Constant(p)), (1, value.Select(v => p with { Default = v })));
    }

    private static Gen<ConditionalParameter[]> Children(ParameterConfig parent, int depth)
    {
        var values = SomeFeasibleValues(parent);
        return from count in Gen.Choose(0, 2)
               from children in Gen.CollectToArray(Enumerable.Range(0, count).Select(i =>
                   from parentValues in Gen.SubListOf(values.ToArray()).Where(l => l.Count > 0)
                   from child in Parameter($"{parent.Name}_{i}", depth - 1)
                   select new ConditionalParameter { ParentValues = [.. parentValues], Parameter = child }))
               select children;
    }

    private static Gen<MetricConfig[]> Metrics() =>
        from objectives in Gen.Choose(1, 2)
        from goals in Gen.ArrayOf(Gen.Elements(MetricGoal.Maximize, MetricGoal.Minimize), objectives + 1)
        from safety in Gen.Elements(false, true)
        from threshold in Between(-10, 10)
        select Enumerable.Range(0, objectives).Select(i => MetricConfig.Objective($"m{i}", goals[i]))
            .Concat(safety ? [new MetricConfig { Name = "safe", Goal = goals[^1], SafetyThreshold = threshold }] : [])
            .ToArray();
}
