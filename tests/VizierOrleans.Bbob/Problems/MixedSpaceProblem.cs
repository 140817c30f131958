using System.Text.Json.Nodes;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Bbob.Problems;

/// <summary>
/// A shifted BBOB function whose coordinates take turns being DOUBLE, INTEGER, DISCRETE and CATEGORICAL (coordinate i
/// by i mod 4): INTEGER in [-5, 5], DISCRETE on the grid -5, -4.5, ..., 5, CATEGORICAL with 11 levels "c0".."c10" that a
/// seeded permutation maps to the values -5..5. The shift of a non-DOUBLE coordinate is a feasible value, so the
/// optimum (gap 0) is reachable.
/// </summary>
public sealed class MixedSpaceProblem : IBenchmarkProblem
{
    private static readonly double[] DiscreteGrid = [.. Enumerable.Range(0, 21).Select(i => -5 + (0.5 * i))];
    private readonly BbobProblem _inner;
    private readonly double[] _levelValues;

    /// <summary>Creates the problem for (function, D, seed).</summary>
    public MixedSpaceProblem(string function, int d, int seed)
    {
        var shift = BbobProblem.SeededShift(d, seed);
        for (var i = 0; i < d; i++)
        {
            shift[i] = Kind(i) switch
            {
                ParameterType.Integer or ParameterType.Categorical => Math.Round(shift[i]),
                ParameterType.Discrete => Math.Round(shift[i] * 2) / 2,
                _ => shift[i],
            };
        }

        _inner = new BbobProblem(function, d, 0, shift);
        var random = new Random(unchecked((seed * 7907) + d));
        _levelValues = [.. Enumerable.Range(-5, 11).Select(v => (double)v).OrderBy(_ => random.Next())];
        Parameters = [.. Enumerable.Range(0, d).Select(i => Kind(i) switch
        {
            ParameterType.Integer => ParameterConfig.Integer($"x{i}", -5, 5),
            ParameterType.Discrete => ParameterConfig.Discrete($"x{i}", DiscreteGrid),
            ParameterType.Categorical => ParameterConfig.Categorical($"x{i}", Enumerable.Range(0, 11).Select(k => $"c{k}")),
            _ => ParameterConfig.Double($"x{i}", -5, 5),
        })];
    }

    /// <summary>The BBOB problem underneath (its shift is the optimum).</summary>
    public BbobProblem Inner => _inner;

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public IReadOnlyList<ParameterConfig> Parameters { get; }

    /// <inheritdoc />
    public int Objectives => 1;

    /// <summary>The kind of coordinate <paramref name="i"/>.</summary>
    public static ParameterType Kind(int i) => (i % 4) switch
    {
        1 => ParameterType.Integer,
        2 => ParameterType.Discrete,
        3 => ParameterType.Categorical,
        _ => ParameterType.Double,
    };

    /// <summary>The value a categorical level stands for.</summary>
    public double LevelValue(string level) => _levelValues[int.Parse(level.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>The level that stands for <paramref name="value"/>.</summary>
    public string Level(double value) => $"c{Array.IndexOf(_levelValues, value)}";

    /// <inheritdoc />
    public double[] Evaluate(IReadOnlyDictionary<string, ParameterValue> parameters) =>
        [_inner.Evaluate([.. Enumerable.Range(0, _inner.D).Select(i => Kind(i) == ParameterType.Categorical ? LevelValue(parameters[$"x{i}"].AsString()) : parameters[$"x{i}"].AsDouble())])];

    /// <inheritdoc />
    public JsonObject Spec() => new()
    {
        ["kind"] = "mixed",
        ["inner"] = _inner.Spec(),
        ["parameters"] = new JsonArray([.. Parameters.Select(p => (JsonNode)ParameterSpec(p))]),
        ["levels"] = new JsonArray([.. _levelValues.Select(v => (JsonNode)v)]),
    };

    /// <summary>A parameter as the Python port reads it.</summary>
    public static JsonObject ParameterSpec(ParameterConfig p) => p.Type switch
    {
        ParameterType.Double => new JsonObject { ["name"] = p.Name, ["type"] = "DOUBLE", ["min"] = p.Min, ["max"] = p.Max },
        ParameterType.Integer => new JsonObject { ["name"] = p.Name, ["type"] = "INTEGER", ["min"] = (long)p.Min, ["max"] = (long)p.Max },
        ParameterType.Discrete => new JsonObject { ["name"] = p.Name, ["type"] = "DISCRETE", ["values"] = new JsonArray([.. p.FeasibleValues.Select(v => (JsonNode)v)]) },
        _ => new JsonObject { ["name"] = p.Name, ["type"] = "CATEGORICAL", ["categories"] = new JsonArray([.. p.Categories.Select(c => (JsonNode)c)]) },
    };
}
