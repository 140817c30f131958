using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using Lanes = System.Numerics.Vector<double>;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>
/// The negative log posterior of the hyperparameters and its gradient for one fixed data set. The squared coordinate
/// differences and category mismatches of every pair are computed once, so each of the optimizer's many evaluations
/// costs one Cholesky factorization, one inverse and a pass over the pairs, with no per-dimension exponentials.
/// </summary>
internal sealed class LikelihoodCache
{
    private const double PriorLengthMean = -0.7; // about 0.5 of the unit range
    private const double PriorLengthSd = 1.5;
    private static readonly double Sqrt5 = Math.Sqrt(5);

    private readonly Matern52Kernel _kernel;
    private readonly double[] _labels;
    private readonly int _n;
    private readonly double[] _differences; // pair-major: D squared differences per pair (i > j), for the gradient
    private readonly double[] _differencesByDimension; // dimension-major: [d * pairs + p], for the Gram matrix
    private readonly bool[] _mismatches;    // pair-major: C flags per pair

    // Work arrays of Evaluate, reused across the optimizer's evaluations.
    private readonly double[] _kValues;
    private readonly double[] _common;
    private readonly double[] _gram;        // column-major, lower triangle
    private readonly double[] _factor;      // column-major, lower triangle
    private readonly double[] _inverse;     // row-major, lower triangle
    private readonly double[] _alpha;
    private readonly double[] _column;

    public LikelihoodCache(Matern52Kernel kernel, IReadOnlyList<Point> points, Vector<double> labels)
    {
        _kernel = kernel;
        _labels = labels.ToArray();
        _n = points.Count;
        var pairs = _n * (_n - 1) / 2;
        _kValues = new double[pairs];
        _common = new double[pairs];
        _gram = new double[_n * _n];
        _factor = new double[_n * _n];
        _inverse = new double[_n * _n];
        _alpha = new double[_n];
        _column = new double[2 * _n];
        _differences = new double[pairs * kernel.Continuous];
        _differencesByDimension = new double[pairs * kernel.Continuous];
        _mismatches = new bool[pairs * kernel.Categorical];
        var p = 0;
        for (var i = 1; i < _n; i++)
        {
            for (var j = 0; j < i; j++, p++)
            {
                for (var d = 0; d < kernel.Continuous; d++)
                {
                    var diff = points[i].Coordinates[d] - points[j].Coordinates[d];
                    _differences[(p * kernel.Continuous) + d] = diff * diff;
                    _differencesByDimension[(d * pairs) + p] = diff * diff;
                }

                for (var c = 0; c < kernel.Categorical; c++)
                {
                    _mismatches[(p * kernel.Categorical) + c] = points[i].Categories[c] != points[j].Categories[c];
                }
            }
        }
    }

    public static double PriorMean => PriorLengthMean;

    /// <summary>Minus (log marginal likelihood + log prior) and its gradient by each log hyperparameter.</summary>
    /// <remarks>Not thread-safe: the n x n work arrays are reused across calls (they would otherwise be three large-object allocations per call).</remarks>
    public (double Value, double[] Gradient) Evaluate(double[] theta)
    {
        int dims = _kernel.Continuous, cats = _kernel.Categorical, n = _n;
        var scale = Math.Exp(theta[0]);
        var inverseLength = new double[dims];
        for (var d = 0; d < dims; d++)
        {
            inverseLength[d] = Math.Exp(-2 * theta[1 + d]);
        }

        var weights = new double[cats];
        for (var c = 0; c < cats; c++)
        {
            weights[c] = Math.Exp(theta[1 + dims + c]);
        }

        var noise = Math.Exp(theta[_kernel.NoiseIndex]);

        // Gram matrix (its lower triangle, column-major: all the factorization reads), and per pair the two factors
        // the gradient needs. Pairs are independent: a large matrix is built by two threads, rows split at equal pairs.
        var gram = _gram;
        if (n < CholeskyArrays.ParallelOrder)
        {
            GramRows(1, n, scale, inverseLength, weights);
        }
        else
        {
            var split = (int)(n / Math.Sqrt(2));
            Parallel.Invoke(CholeskyArrays.ParallelOptions, () => GramRows(1, split, scale, inverseLength, weights), () => GramRows(split, n, scale, inverseLength, weights));
        }

        for (var i = 0; i < n; i++)
        {
            gram[(i * n) + i] = scale + noise;
        }

        if (!CholeskyArrays.TryFactorWithJitter(_gram, n, _factor, _column))
        {
            return (1e10, new double[theta.Length]);
        }

        var factor = _factor;
        var alpha = _alpha;
        Array.Copy(_labels, alpha, n);
        CholeskyArrays.Solve(factor, n, alpha);
        var labelsDotAlpha = 0.0;
        for (var i = 0; i < n; i++)
        {
            labelsDotAlpha += alpha[i] * _labels[i];
        }

        var logLikelihood = (-0.5 * labelsDotAlpha) - (0.5 * CholeskyArrays.DeterminantLn(factor, n)) - (0.5 * n * Math.Log(2 * Math.PI));

        // d LML / d theta = 1/2 tr(W dK), W = a a' - K^-1 (symmetric: off-diagonal pairs count twice, and only the
        // lower triangle of K^-1 is computed).
        var inverse = _inverse;
        CholeskyArrays.InverseLowerTriangle(factor, n, inverse);
        var gradient = new double[theta.Length];
        var wDiagonalSum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var wii = (alpha[i] * alpha[i]) - inverse[(i * n) + i];
            wDiagonalSum += wii;
            gradient[0] += 0.5 * wii * scale;
        }

        // The length-scale components are independent sums over the same pairs: vectorized across dimensions, each
        // one still adds its pairs in order.
        var lengthGradient = gradient.AsSpan(1, dims);
        var kValues = _kValues;
        var common = _common;
        var p = 0;
        for (var i = 1; i < n; i++)
        {
            var inverseRow = inverse.AsSpan(i * n, i);
            for (var j = 0; j < i; j++, p++)
            {
                var w = (alpha[i] * alpha[j]) - inverseRow[j];
                gradient[0] += w * kValues[p];
                AddScaledProducts(lengthGradient, w * common[p], _differences.AsSpan(p * dims, dims), inverseLength);
                for (var c = 0; c < cats; c++)
                {
                    if (_mismatches[(p * cats) + c])
                    {
                        gradient[1 + dims + c] -= w * kValues[p] * weights[c];
                    }
                }
            }
        }

        gradient[_kernel.NoiseIndex] = 0.5 * wDiagonalSum * noise;

        var value = -logLikelihood;
        for (var g = 0; g < gradient.Length; g++)
        {
            gradient[g] = -gradient[g];
        }

        for (var d = 0; d < dims; d++)
        {
            var z = (theta[1 + d] - PriorLengthMean) / PriorLengthSd;
            value += 0.5 * z * z;
            gradient[1 + d] += z / PriorLengthSd;
        }

        return (value, gradient);
    }

    /// <summary>
    /// Rows [<paramref name="first"/>, <paramref name="end"/>) of the Gram matrix's lower triangle, and per pair
    /// k itself and 5/3 s m (1 + sqrt5 r) e^{-sqrt5 r}. The pairs of a row are contiguous in the dimension-major
    /// differences, so their squared distances are summed one pair per vector lane, each over dimensions in order.
    /// </summary>
    private void GramRows(int first, int end, double scale, double[] inverseLength, double[] weights)
    {
        int dims = _kernel.Continuous, cats = _kernel.Categorical, n = _n, pairs = n * (n - 1) / 2;
        var distances = new double[n];
        for (var i = first; i < end; i++)
        {
            var p0 = i * (i - 1) / 2;
            var row = distances.AsSpan(0, i);
            row.Clear();
            for (var d = 0; d < dims; d++)
            {
                AddScaled(row, _differencesByDimension.AsSpan((d * pairs) + p0, i), inverseLength[d]);
            }

            for (var j = 0; j < i; j++)
            {
                var p = p0 + j;
                var mismatch = 0.0;
                for (var c = 0; c < cats; c++)
                {
                    if (_mismatches[(p * cats) + c])
                    {
                        mismatch += weights[c];
                    }
                }

                var r2 = row[j];
                var r = Math.Sqrt(r2);
                var e = Math.Exp(-Sqrt5 * r);
                var m = mismatch == 0 ? 1 : Math.Exp(-mismatch);
                var k = scale * (1 + (Sqrt5 * r) + (5.0 / 3.0 * r2)) * e * m;
                _kValues[p] = k;
                _common[p] = scale * m * (5.0 / 3.0) * (1 + (Sqrt5 * r)) * e;
                _gram[(j * n) + i] = k;
            }
        }
    }

    /// <summary>sums[i] += a[i] * scale, element by element.</summary>
    private static void AddScaled(Span<double> sums, ReadOnlySpan<double> a, double scale)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && sums.Length >= Lanes.Count)
        {
            var s = new Lanes(scale);
            var sv = MemoryMarshal.Cast<double, Lanes>(sums);
            var av = MemoryMarshal.Cast<double, Lanes>(a[..sums.Length]);
            for (var v = 0; v < sv.Length; v++)
            {
                sv[v] += av[v] * s;
            }

            i = sv.Length * Lanes.Count;
        }

        for (; i < sums.Length; i++)
        {
            sums[i] += a[i] * scale;
        }
    }

    /// <summary>sums[d] += (scale * a[d]) * b[d], element by element.</summary>
    private static void AddScaledProducts(Span<double> sums, double scale, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var d = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && sums.Length >= Lanes.Count)
        {
            var s = new Lanes(scale);
            var sv = MemoryMarshal.Cast<double, Lanes>(sums);
            var av = MemoryMarshal.Cast<double, Lanes>(a);
            var bv = MemoryMarshal.Cast<double, Lanes>(b[..sums.Length]);
            for (var v = 0; v < sv.Length; v++)
            {
                sv[v] += s * av[v] * bv[v];
            }

            d = sv.Length * Lanes.Count;
        }

        for (; d < sums.Length; d++)
        {
            sums[d] += scale * a[d] * b[d];
        }
    }
}
