using MathNet.Numerics.LinearAlgebra;

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
    private readonly Vector<double> _labels;
    private readonly int _n;
    private readonly double[] _differences; // pair-major: D squared differences per pair (i > j)
    private readonly bool[] _mismatches;    // pair-major: C flags per pair

    public LikelihoodCache(Matern52Kernel kernel, IReadOnlyList<Point> points, Vector<double> labels)
    {
        _kernel = kernel;
        _labels = labels;
        _n = points.Count;
        var pairs = _n * (_n - 1) / 2;
        _differences = new double[pairs * kernel.Continuous];
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
    public (double Value, double[] Gradient) Evaluate(double[] theta)
    {
        int dims = _kernel.Continuous, cats = _kernel.Categorical;
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

        // Gram matrix, and per pair the two factors the gradient needs: k itself and 5/3 s m (1 + sqrt5 r) e^{-sqrt5 r}.
        var pairs = _n * (_n - 1) / 2;
        var kValues = new double[pairs];
        var common = new double[pairs];
        var gram = Matrix<double>.Build.Dense(_n, _n);
        var p = 0;
        for (var i = 1; i < _n; i++)
        {
            for (var j = 0; j < i; j++, p++)
            {
                var r2 = 0.0;
                var offset = p * dims;
                for (var d = 0; d < dims; d++)
                {
                    r2 += _differences[offset + d] * inverseLength[d];
                }

                var mismatch = 0.0;
                for (var c = 0; c < cats; c++)
                {
                    if (_mismatches[(p * cats) + c])
                    {
                        mismatch += weights[c];
                    }
                }

                var r = Math.Sqrt(r2);
                var e = Math.Exp(-Sqrt5 * r);
                var m = mismatch == 0 ? 1 : Math.Exp(-mismatch);
                var k = scale * (1 + (Sqrt5 * r) + (5.0 / 3.0 * r2)) * e * m;
                kValues[p] = k;
                common[p] = scale * m * (5.0 / 3.0) * (1 + (Sqrt5 * r)) * e;
                gram[i, j] = k;
                gram[j, i] = k;
            }
        }

        for (var i = 0; i < _n; i++)
        {
            gram[i, i] = scale + noise;
        }

        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> cholesky;
        try
        {
            cholesky = PositiveDefinite.Cholesky(gram);
        }
        catch (ArgumentException)
        {
            return (1e10, new double[theta.Length]);
        }

        var alpha = cholesky.Solve(_labels);
        var logLikelihood = (-0.5 * _labels.DotProduct(alpha)) - (0.5 * cholesky.DeterminantLn) - (0.5 * _n * Math.Log(2 * Math.PI));

        // d LML / d theta = 1/2 tr(W dK), W = a a' - K^-1 (symmetric: off-diagonal pairs count twice).
        var inverse = cholesky.Solve(Matrix<double>.Build.DenseIdentity(_n));
        var gradient = new double[theta.Length];
        var wDiagonalSum = 0.0;
        for (var i = 0; i < _n; i++)
        {
            var wii = (alpha[i] * alpha[i]) - inverse[i, i];
            wDiagonalSum += wii;
            gradient[0] += 0.5 * wii * scale;
        }

        p = 0;
        for (var i = 1; i < _n; i++)
        {
            for (var j = 0; j < i; j++, p++)
            {
                var w = (alpha[i] * alpha[j]) - inverse[i, j];
                gradient[0] += w * kValues[p];
                var offset = p * dims;
                var wc = w * common[p];
                for (var d = 0; d < dims; d++)
                {
                    gradient[1 + d] += wc * _differences[offset + d] * inverseLength[d];
                }

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
}
