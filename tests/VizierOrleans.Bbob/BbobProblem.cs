using System.Collections.Immutable;
using System.Text.Json.Nodes;
using VizierOrleans.Bbob.Problems;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Bbob;

/// <summary>
/// One benchmark problem: a BBOB function in dimension D, shifted so its optimum is at a seeded point s in [-2, 2]^D
/// (an algorithm that tries the centre first must not solve it at once), optionally rotated.
/// </summary>
public sealed class BbobProblem : IBenchmarkProblem
{
    private readonly BbobFunctions _functions;

    /// <summary>Creates the problem for (function, D, seed).</summary>
    public BbobProblem(string function, int d, int seed, bool shifted = true, bool rotated = false)
        : this(function, d, rotated ? seed + 1 : 0, shifted ? SeededShift(d, seed) : new double[d])
    {
    }

    /// <summary>Creates the problem with an explicit shift and rotation seed (0: no rotation).</summary>
    public BbobProblem(string function, int d, int rotationSeed, double[] shift)
    {
        if (!BbobFunctions.Names.Contains(function))
        {
            throw new ArgumentException($"Unknown BBOB function '{function}'.", nameof(function));
        }

        ArgumentOutOfRangeException.ThrowIfNotEqual(shift.Length, d, nameof(shift));
        Function = function;
        D = d;
        _functions = new BbobFunctions(d, rotationSeed);
        Shift = shift;
        Parameters = [.. Enumerable.Range(0, d).Select(i => ParameterConfig.Double($"x{i}", -5, 5))];
    }

    /// <summary>The function's name.</summary>
    public string Function { get; }

    /// <summary>The dimension.</summary>
    public int D { get; }

    /// <summary>The shift s: f is evaluated at x - s.</summary>
    public double[] Shift { get; }

    /// <inheritdoc />
    public string Name => Function;

    /// <inheritdoc />
    public IReadOnlyList<ParameterConfig> Parameters { get; }

    /// <inheritdoc />
    public int Objectives => 1;

    /// <summary>f(x - s).</summary>
    public double Evaluate(double[] x) => _functions.Evaluate(Function, [.. x.Select((v, i) => v - Shift[i])]);

    /// <inheritdoc />
    public double[] Evaluate(IReadOnlyDictionary<string, ParameterValue> parameters) =>
        [Evaluate([.. Enumerable.Range(0, D).Select(i => parameters[$"x{i}"].AsDouble())])];

    /// <summary>The optimality gap of a value.</summary>
    public double Gap(double value) => value - BbobFunctions.Optimum(Function);

    /// <inheritdoc />
    public JsonObject Spec() => new()
    {
        ["kind"] = "bbob",
        ["function"] = Function,
        ["d"] = D,
        ["shift"] = new JsonArray([.. Shift.Select(v => (JsonNode)v)]),
        ["r"] = _functions.RotationSeed == 0 ? null : Matrix(_functions.R),
        ["q"] = _functions.RotationSeed == 0 ? null : Matrix(_functions.Q),
    };

    /// <summary>The seeded shift in [-2, 2]^D of (D, seed).</summary>
    public static double[] SeededShift(int d, int seed)
    {
        var random = new Random(unchecked((seed * 104729) + d));
        return [.. Enumerable.Range(0, d).Select(_ => (random.NextDouble() * 4) - 2)];
    }

    private static JsonArray Matrix(double[][] rows) => new([.. rows.Select(r => (JsonNode)new JsonArray([.. r.Select(v => (JsonNode)v)]))]);
}
