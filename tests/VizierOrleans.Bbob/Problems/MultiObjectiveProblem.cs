using System.Text.Json.Nodes;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Bbob.Problems;

/// <summary>
/// The multi-objective problems (all objectives minimized), each with its fixed hypervolume reference point:
/// ZDT1, ZDT2, ZDT3 (D = 10 in [0, 1]^D, reference (1.1, 11)), DTLZ2 with 2 and 3 objectives (k = 5, so D = M + 4, in
/// [0, 1]^D, reference 2.5 per objective), two shifted spheres (|x - 1|^2 and |x + 1|^2 in [-5, 5]^4, reference
/// (50, 50)) and Fonseca-Fleming ([-4, 4]^3, reference (1, 1)).
/// </summary>
public sealed class MultiObjectiveProblem : IBenchmarkProblem
{
    private MultiObjectiveProblem(string name, int d, double low, double high, double[] reference)
    {
        Name = name;
        D = d;
        Reference = reference;
        Parameters = [.. Enumerable.Range(0, d).Select(i => ParameterConfig.Double($"x{i}", low, high))];
    }

    /// <summary>Every problem's name.</summary>
    public static IReadOnlyList<string> Names { get; } = ["ZDT1", "ZDT2", "ZDT3", "DTLZ2-2", "DTLZ2-3", "TwoSpheres", "FonsecaFleming"];

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The dimension.</summary>
    public int D { get; }

    /// <summary>The hypervolume reference point.</summary>
    public double[] Reference { get; }

    /// <inheritdoc />
    public IReadOnlyList<ParameterConfig> Parameters { get; }

    /// <inheritdoc />
    public int Objectives => Reference.Length;

    /// <summary>The problem of that name.</summary>
    public static MultiObjectiveProblem Create(string name) => name switch
    {
        "ZDT1" or "ZDT2" or "ZDT3" => new(name, 10, 0, 1, [1.1, 11]),
        "DTLZ2-2" => new(name, 6, 0, 1, [2.5, 2.5]),
        "DTLZ2-3" => new(name, 7, 0, 1, [2.5, 2.5, 2.5]),
        "TwoSpheres" => new(name, 4, -5, 5, [50, 50]),
        "FonsecaFleming" => new(name, 3, -4, 4, [1, 1]),
        _ => throw new ArgumentException($"Unknown multi-objective problem '{name}'.", nameof(name)),
    };

    /// <inheritdoc />
    public double[] Evaluate(IReadOnlyDictionary<string, ParameterValue> parameters) =>
        Evaluate([.. Enumerable.Range(0, D).Select(i => parameters[$"x{i}"].AsDouble())]);

    /// <summary>The objective values at <paramref name="x"/>.</summary>
    public double[] Evaluate(double[] x)
    {
        switch (Name)
        {
            case "ZDT1" or "ZDT2" or "ZDT3":
            {
                var f1 = x[0];
                var g = 1 + (9.0 / (x.Length - 1) * x.Skip(1).Sum());
                var t = f1 / g;
                var h = Name switch
                {
                    "ZDT1" => 1 - Math.Sqrt(t),
                    "ZDT2" => 1 - (t * t),
                    _ => 1 - Math.Sqrt(t) - (t * Math.Sin(10 * Math.PI * f1)),
                };
                return [f1, g * h];
            }

            case "DTLZ2-2" or "DTLZ2-3":
            {
                var m = Objectives;
                var g = x.Skip(m - 1).Sum(v => (v - 0.5) * (v - 0.5));
                var f = new double[m];
                for (var i = 0; i < m; i++)
                {
                    var value = 1 + g;
                    for (var j = 0; j < m - 1 - i; j++)
                    {
                        value *= Math.Cos(x[j] * Math.PI / 2);
                    }

                    if (i > 0)
                    {
                        value *= Math.Sin(x[m - 1 - i] * Math.PI / 2);
                    }

                    f[i] = value;
                }

                return f;
            }

            case "TwoSpheres":
                return [x.Sum(v => (v - 1) * (v - 1)), x.Sum(v => (v + 1) * (v + 1))];
            default:
            {
                var s = 1 / Math.Sqrt(x.Length);
                return [1 - Math.Exp(-x.Sum(v => (v - s) * (v - s))), 1 - Math.Exp(-x.Sum(v => (v + s) * (v + s)))];
            }
        }
    }

    /// <inheritdoc />
    public JsonObject Spec() => new()
    {
        ["kind"] = "multiobjective",
        ["name"] = Name,
        ["d"] = D,
        ["low"] = Parameters[0].Min,
        ["high"] = Parameters[0].Max,
    };
}
