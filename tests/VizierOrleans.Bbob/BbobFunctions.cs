using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using VizierOrleans.Grains.Algorithms;

namespace VizierOrleans.Bbob;

/// <summary>
/// The BBOB benchmark functions (minimize, x in [-5, 5]^D, f_opt = 0), with the rotation matrices R and Q of a
/// seed: seed 0 gives the identity, other seeds a random orthogonal matrix (QR of a Gaussian matrix).
/// </summary>
public sealed class BbobFunctions
{
    private readonly Matrix<double> _r;
    private readonly Matrix<double> _q;

    /// <summary>Creates the functions for dimension <paramref name="d"/> and rotation seed <paramref name="rotationSeed"/>.</summary>
    public BbobFunctions(int d, int rotationSeed = 0)
    {
        if (d < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(d), "BBOB needs D > 1.");
        }

        D = d;
        RotationSeed = rotationSeed;
        _r = Rotation(d, rotationSeed, 1);
        _q = Rotation(d, rotationSeed, 2);
    }

    /// <summary>The dimension.</summary>
    public int D { get; }

    /// <summary>The rotation seed (0: R and Q are the identity).</summary>
    public int RotationSeed { get; }

    /// <summary>The rotation R, row by row.</summary>
    public double[][] R => [.. _r.EnumerateRows().Select(row => row.ToArray())];

    /// <summary>The rotation Q, row by row.</summary>
    public double[][] Q => [.. _q.EnumerateRows().Select(row => row.ToArray())];

    /// <summary>The names of every function, as BBOB.md lists them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "Sphere", "Ellipsoidal", "Rastrigin", "BuecheRastrigin", "LinearSlope", "AttractiveSector", "StepEllipsoidal",
        "RosenbrockRotated", "Discus", "BentCigar", "SharpRidge", "DifferentPowers", "Weierstrass", "SchaffersF7",
        "GriewankRosenbrock", "Schwefel", "Katsuura", "Lunacek",
    ];

    /// <summary>Evaluates the named function at <paramref name="x"/>.</summary>
    public double Evaluate(string name, double[] x)
    {
        var v = Vector<double>.Build.Dense(x);
        return name switch
        {
            "Sphere" => v.DotProduct(v),
            "Ellipsoidal" => Ellipsoidal(Tosz(v)),
            "Rastrigin" => Rastrigin(v),
            "BuecheRastrigin" => BuecheRastrigin(v),
            "LinearSlope" => LinearSlope(v),
            "AttractiveSector" => AttractiveSector(v),
            "StepEllipsoidal" => StepEllipsoidal(v),
            "RosenbrockRotated" => RosenbrockRotated(v),
            "Discus" => Discus(v),
            "BentCigar" => BentCigar(v),
            "SharpRidge" => SharpRidge(v),
            "DifferentPowers" => DifferentPowers(v),
            "Weierstrass" => Weierstrass(v),
            "SchaffersF7" => SchaffersF7(v),
            "GriewankRosenbrock" => GriewankRosenbrock(v),
            "Schwefel" => Schwefel(v),
            "Katsuura" => Katsuura(v),
            "Lunacek" => Lunacek(v),
            _ => throw new ArgumentException($"Unknown BBOB function '{name}'.", nameof(name)),
        };
    }

    /// <summary>The function value at its optimum (0 for all but Schwefel, whose optimum is about 0).</summary>
    public static double Optimum(string name) => 0;

    private double Ellipsoidal(Vector<double> z) => Enumerable.Range(0, D).Sum(i => Math.Pow(10, 6.0 * i / (D - 1)) * z[i] * z[i]);

    private double Rastrigin(Vector<double> x)
    {
        var z = _r * Lambda(10).PointwiseMultiply(_q * Tasy(Tosz(_r * x), 0.2));
        return (10 * (D - z.Sum(zi => Math.Cos(2 * Math.PI * zi)))) + z.DotProduct(z);
    }

    private double BuecheRastrigin(Vector<double> x)
    {
        var t = Tosz(x);
        var l = Vector<double>.Build.Dense(D, i =>
        {
            var s = Math.Pow(10, i / (2.0 * (D - 1)));
            if (i % 2 == 0 && x[i] > 0)
            {
                s *= 10;
            }

            return s * t[i];
        });
        return (10 * (D - l.Sum(li => Math.Cos(2 * Math.PI * li)))) + l.DotProduct(l) + (100 * Fpen(x));
    }

    private double LinearSlope(Vector<double> x)
    {
        var z = _r * x;
        return Enumerable.Range(0, D).Sum(i =>
        {
            var s = Math.Pow(10, i / (double)(D - 1));
            var bound = 5 * _r.Row(i).Sum(Math.Abs);
            return s * (bound - z[i]);
        });
    }

    private double AttractiveSector(Vector<double> x)
    {
        var x0 = Vector<double>.Build.Dense(D, i => i % 2 == 0 ? 1 : -1);
        var z = _q * Lambda(10).PointwiseMultiply(_r * (x - x0));
        var sum = Enumerable.Range(0, D).Sum(i =>
        {
            var s = z[i] * x0[i] > 0 ? 100 : 1;
            return Math.Pow(s * z[i], 2);
        });
        return Math.Pow(ToszScalar(sum), 0.9);
    }

    private double StepEllipsoidal(Vector<double> x)
    {
        var zh = Lambda(10).PointwiseMultiply(_r * x);
        var zt = zh.Map(v => v > 0.5 ? Math.Floor(0.5 + v) : Math.Floor(0.5 + (10 * v)) / 10);
        var z = _q * zt;
        var sum = Enumerable.Range(0, D).Sum(i => Math.Pow(10, 2.0 * i / (D - 1)) * z[i] * z[i]);
        return (0.1 * Math.Max(Math.Abs(zh[0]) / 1000, sum)) + Fpen(x);
    }

    private double RosenbrockRotated(Vector<double> x)
    {
        var z = ((_r * x) * Math.Max(1, Math.Sqrt(D) / 8)) + 0.5;
        return Enumerable.Range(0, D - 1).Sum(i => (100 * Math.Pow((z[i] * z[i]) - z[i + 1], 2)) + Math.Pow(z[i] - 1, 2));
    }

    private double Discus(Vector<double> x)
    {
        var z = Tosz(_r * x);
        return (1e6 * z[0] * z[0]) + Enumerable.Range(1, D - 1).Sum(i => z[i] * z[i]);
    }

    private double BentCigar(Vector<double> x)
    {
        var z = _r * Tasy(_r * x, 0.5);
        return (z[0] * z[0]) + (1e6 * Enumerable.Range(1, D - 1).Sum(i => z[i] * z[i]));
    }

    private double SharpRidge(Vector<double> x)
    {
        var z = _q * Lambda(10).PointwiseMultiply(_r * x);
        return (z[0] * z[0]) + (100 * Math.Sqrt(Enumerable.Range(1, D - 1).Sum(i => z[i] * z[i])));
    }

    private double DifferentPowers(Vector<double> x)
    {
        var z = _r * x;
        return Math.Sqrt(Enumerable.Range(0, D).Sum(i => Math.Pow(Math.Abs(z[i]), 2 + (4.0 * i / (D - 1)))));
    }

    private double Weierstrass(Vector<double> x)
    {
        var z = Lambda(0.01).PointwiseMultiply(_q * Tosz(_r * x));
        var f0 = Enumerable.Range(0, 12).Sum(k => Math.Pow(2, -k) * Math.Cos(Math.PI * Math.Pow(3, k)));
        var sum = Enumerable.Range(0, D).Sum(i => Enumerable.Range(0, 12).Sum(k => Math.Pow(2, -k) * Math.Cos(2 * Math.PI * Math.Pow(3, k) * (z[i] + 0.5))));
        return (10 * Math.Pow((sum / D) - f0, 3)) + (10.0 / D * Fpen(x));
    }

    private double SchaffersF7(Vector<double> x)
    {
        var z = Lambda(10).PointwiseMultiply(_q * Tasy(_r * x, 0.5));
        var sum = Enumerable.Range(0, D - 1).Sum(i =>
        {
            var s = Math.Sqrt((z[i] * z[i]) + (z[i + 1] * z[i + 1]));
            return Math.Sqrt(s) + (Math.Sqrt(s) * Math.Pow(Math.Sin(50 * Math.Pow(s, 0.2)), 2));
        });
        return Math.Pow(sum / (D - 1), 2) + (10 * Fpen(x));
    }

    private double GriewankRosenbrock(Vector<double> x)
    {
        var z = ((_r * x) * Math.Max(1, Math.Sqrt(D) / 8)) + 1;
        var sum = Enumerable.Range(0, D - 1).Sum(i =>
        {
            var s = (100 * Math.Pow((z[i] * z[i]) - z[i + 1], 2)) + Math.Pow(z[i] - 1, 2);
            return (s / 4000) - Math.Cos(s);
        });
        return (10.0 / (D - 1) * sum) + 10;
    }

    private double Schwefel(Vector<double> x)
    {
        var b = Vector<double>.Build.Dense(D, i => i % 2 == 0 ? -1 : 1);
        var xo = b * 2.10484373165;
        var xh = (b * 2).PointwiseMultiply(x);
        var zh = Vector<double>.Build.Dense(D, i => i == 0 ? xh[0] : xh[i] + (0.25 * (xh[i - 1] - (2 * Math.Abs(xo[i - 1])))));
        var absXo = xo.PointwiseAbs() * 2;
        var z = ((Lambda(10).PointwiseMultiply(zh - absXo)) + absXo) * 100;
        var sum = z.Sum(zi => zi * Math.Sin(Math.Sqrt(Math.Abs(zi))));
        return (-sum / (100.0 * D)) + 4.189828872724339 + (100 * Fpen(z / 100));
    }

    private double Katsuura(Vector<double> x)
    {
        var z = _q * Lambda(100).PointwiseMultiply(_r * x);
        var product = 1.0;
        for (var i = 0; i < D; i++)
        {
            var s = 0.0;
            for (var j = 1; j <= 32; j++)
            {
                var p = Math.Pow(2, j);
                s += Math.Abs((p * z[i]) - Math.Round(p * z[i])) / p;
            }

            product *= Math.Pow(1 + ((i + 1) * s), 10 / Math.Pow(D, 1.2));
        }

        return (10.0 / (D * D) * product) - (10.0 / (D * D)) + Fpen(x);
    }

    private double Lunacek(Vector<double> x)
    {
        const double mu0 = 2.5;
        var s = 1 - (1 / ((2 * Math.Sqrt(D + 20)) - 8.2));
        var mu1 = -Math.Sqrt(((mu0 * mu0) - 1) / s);
        var xh = x * 2;
        var z = _q * Lambda(100).PointwiseMultiply(_r * (xh - mu0));
        var a = xh.Sum(v => (v - mu0) * (v - mu0));
        var b = D + (s * xh.Sum(v => (v - mu1) * (v - mu1)));
        return Math.Min(a, b) + (10 * (D - z.Sum(zi => Math.Cos(2 * Math.PI * zi)))) + (1e4 * Fpen(x));
    }

    private Vector<double> Lambda(double alpha) => Vector<double>.Build.Dense(D, i => Math.Pow(alpha, i / (2.0 * (D - 1))));

    private static Vector<double> Tosz(Vector<double> v) => v.Map(ToszScalar);

    private static double ToszScalar(double e)
    {
        if (e == 0)
        {
            return 0;
        }

        var h = Math.Log(Math.Abs(e));
        var (c1, c2) = e > 0 ? (10.0, 7.9) : (5.5, 3.1);
        return Math.Sign(e) * Math.Exp(h + (0.049 * (Math.Sin(c1 * h) + Math.Sin(c2 * h))));
    }

    private Vector<double> Tasy(Vector<double> v, double beta) =>
        Vector<double>.Build.Dense(D, i => v[i] > 0 ? Math.Pow(v[i], 1 + (beta * i / (D - 1) * Math.Sqrt(v[i]))) : v[i]);

    private static double Fpen(Vector<double> x) => x.Sum(v => Math.Pow(Math.Max(0, Math.Abs(v) - 5), 2));

    private static Matrix<double> Rotation(int d, int seed, int which)
    {
        if (seed == 0)
        {
            return Matrix<double>.Build.DenseIdentity(d);
        }

        var random = new Random(unchecked((seed * 7919) + which));
        var gaussian = Matrix<double>.Build.Dense(d, d, (_, _) => Normal.Sample(random, 0, 1));
        return gaussian.QR().Q;
    }
}
