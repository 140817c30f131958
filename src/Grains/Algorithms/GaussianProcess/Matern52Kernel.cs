using System.Runtime.InteropServices;
using Lanes = System.Numerics.Vector<double>;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>
/// k(a, b) = s * m52(r) * prod_c exp(-w_c [a_c != b_c]), with r^2 = sum_d (a_d - b_d)^2 / l_d^2 and
/// m52(r) = (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r): Matern-5/2 with one length scale per continuous dimension, and a
/// mismatch term per categorical parameter. Hyperparameters are held as logarithms:
/// [log s, log l_1..l_D, log w_1..w_C, log noise]; <see cref="LikelihoodCache"/> holds their gradient.
/// </summary>
internal sealed class Matern52Kernel(int continuous, int categorical)
{
    public int Continuous { get; } = continuous;

    public int Categorical { get; } = categorical;

    /// <summary>Number of hyperparameters, noise included.</summary>
    public int Count => 1 + Continuous + Categorical + 1;

    public int NoiseIndex => Count - 1;

    /// <summary>The kernel with its hyperparameters exponentiated once, for the many evaluations of a prediction.</summary>
    public PreparedKernel Prepare(double[] theta) => new(
        Math.Exp(theta[0]),
        [.. Enumerable.Range(0, Continuous).Select(d => Math.Exp(-2 * theta[1 + d]))],
        [.. Enumerable.Range(0, Categorical).Select(c => Math.Exp(theta[1 + Continuous + c]))]);

    internal static double M52(double r) => (1 + (Math.Sqrt(5) * r) + (5.0 / 3.0 * r * r)) * Math.Exp(-Math.Sqrt(5) * r);
}

/// <summary>A kernel with fixed hyperparameters: signal variance, inverse squared length scales, mismatch weights.</summary>
internal sealed class PreparedKernel(double scale, double[] inverseLengthSquared, double[] mismatchWeights)
{
    public double Scale { get; } = scale;

    public double Value(Point a, Point b)
    {
        var sum = 0.0;
        var x = a.Coordinates;
        var y = b.Coordinates;
        for (var d = 0; d < inverseLengthSquared.Length; d++)
        {
            var diff = x[d] - y[d];
            sum += diff * diff * inverseLengthSquared[d];
        }

        var mismatch = 0.0;
        for (var c = 0; c < mismatchWeights.Length; c++)
        {
            if (a.Categories[c] != b.Categories[c])
            {
                mismatch += mismatchWeights[c];
            }
        }

        var value = Scale * Matern52Kernel.M52(Math.Sqrt(sum));
        return mismatch == 0 ? value : value * Math.Exp(-mismatch);
    }

    /// <summary>
    /// values[i] = <see cref="Value"/>(x, points[i]) with the same doubles: each point's squared distance is summed
    /// over dimensions in the same order, one point per vector lane (<paramref name="coordinates"/> is dimension-major,
    /// coordinates[d * n + i]).
    /// </summary>
    public void Values(Point x, IReadOnlyList<Point> points, double[] coordinates, Span<double> values)
    {
        var n = points.Count;
        var sums = values[..n];
        sums.Clear();
        var vectors = MemoryMarshal.Cast<double, Lanes>(sums);
        var tail = vectors.Length * Lanes.Count;
        for (var d = 0; d < inverseLengthSquared.Length; d++)
        {
            var column = coordinates.AsSpan(d * n, n);
            var xd = x.Coordinates[d];
            var scaleD = inverseLengthSquared[d];
            var xv = new Lanes(xd);
            var sv = new Lanes(scaleD);
            var columnVectors = MemoryMarshal.Cast<double, Lanes>(column);
            for (var v = 0; v < vectors.Length; v++)
            {
                var diff = xv - columnVectors[v];
                vectors[v] += diff * diff * sv;
            }

            for (var i = tail; i < n; i++)
            {
                var diff = xd - column[i];
                sums[i] += diff * diff * scaleD;
            }
        }

        for (var i = 0; i < n; i++)
        {
            var mismatch = 0.0;
            var categories = points[i].Categories;
            for (var c = 0; c < mismatchWeights.Length; c++)
            {
                if (x.Categories[c] != categories[c])
                {
                    mismatch += mismatchWeights[c];
                }
            }

            var value = Scale * Matern52Kernel.M52(Math.Sqrt(sums[i]));
            values[i] = mismatch == 0 ? value : value * Math.Exp(-mismatch);
        }
    }
}
