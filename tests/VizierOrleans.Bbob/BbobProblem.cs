namespace VizierOrleans.Bbob;

/// <summary>
/// One benchmark problem: a BBOB function in dimension D, shifted so its optimum is at a seeded point s in [-2, 2]^D
/// (an algorithm that tries the centre first must not solve it at once), optionally rotated.
/// </summary>
public sealed class BbobProblem
{
    private readonly BbobFunctions _functions;

    /// <summary>Creates the problem for (function, D, seed).</summary>
    public BbobProblem(string function, int d, int seed, bool shifted = true, bool rotated = false)
    {
        Function = function;
        D = d;
        _functions = new BbobFunctions(d, rotated ? seed + 1 : 0);
        var random = new Random(unchecked((seed * 104729) + d));
        Shift = shifted ? [.. Enumerable.Range(0, d).Select(_ => (random.NextDouble() * 4) - 2)] : new double[d];
    }

    /// <summary>The function's name.</summary>
    public string Function { get; }

    /// <summary>The dimension.</summary>
    public int D { get; }

    /// <summary>The shift s: f is evaluated at x - s.</summary>
    public double[] Shift { get; }

    /// <summary>f(x - s).</summary>
    public double Evaluate(double[] x) => _functions.Evaluate(Function, [.. x.Select((v, i) => v - Shift[i])]);

    /// <summary>The optimality gap of a value.</summary>
    public double Gap(double value) => value - BbobFunctions.Optimum(Function);
}
