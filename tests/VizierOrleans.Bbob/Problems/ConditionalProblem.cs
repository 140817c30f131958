using System.Text.Json.Nodes;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Bbob.Problems;

/// <summary>
/// A conditional space: a categorical root "branch" chooses between two shifted BBOB sub-problems ("a" and "b"), each
/// with its own child parameters (a_x0.., b_x0..). Branch b's values carry an offset, so the optimum (gap 0) is only in
/// branch a and a search must learn which branch pays as well as where.
/// </summary>
public sealed class ConditionalProblem : IBenchmarkProblem
{
    private readonly BbobProblem _a;
    private readonly BbobProblem _b;

    /// <summary>Creates the problem: <paramref name="functionA"/> and <paramref name="functionB"/> in dimension D, branch b offset by <paramref name="offsetB"/>.</summary>
    public ConditionalProblem(string functionA, string functionB, int d, int seed, double offsetB = 1)
    {
        _a = new BbobProblem(functionA, d, seed);
        _b = new BbobProblem(functionB, d, seed + 1000);
        OffsetB = offsetB;
        var root = ParameterConfig.Categorical("branch", "a", "b");
        for (var i = 0; i < d; i++)
        {
            root = root.WithChild(ParameterConfig.Double($"a_x{i}", -5, 5), "a");
        }

        for (var i = 0; i < d; i++)
        {
            root = root.WithChild(ParameterConfig.Double($"b_x{i}", -5, 5), "b");
        }

        Parameters = [root];
    }

    /// <summary>Branch a (holds the optimum).</summary>
    public BbobProblem A => _a;

    /// <summary>Branch b.</summary>
    public BbobProblem B => _b;

    /// <summary>What branch b's values are offset by.</summary>
    public double OffsetB { get; }

    /// <inheritdoc />
    public string Name => $"{_a.Function}/{_b.Function}";

    /// <inheritdoc />
    public IReadOnlyList<ParameterConfig> Parameters { get; }

    /// <inheritdoc />
    public int Objectives => 1;

    /// <inheritdoc />
    public double[] Evaluate(IReadOnlyDictionary<string, ParameterValue> parameters)
    {
        var branch = parameters["branch"].AsString();
        var problem = branch == "a" ? _a : _b;
        var value = problem.Evaluate([.. Enumerable.Range(0, problem.D).Select(i => parameters[$"{branch}_x{i}"].AsDouble())]);
        return [branch == "a" ? value : value + OffsetB];
    }

    /// <inheritdoc />
    public JsonObject Spec() => new()
    {
        ["kind"] = "conditional",
        ["a"] = _a.Spec(),
        ["b"] = _b.Spec(),
        ["offset_b"] = OffsetB,
    };
}
