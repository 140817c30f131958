using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>A zero-mean GP posterior for fixed hyperparameters, with the log marginal likelihood and its gradient.</summary>
internal sealed class GaussianProcessModel
{
    private readonly Matern52Kernel _kernel;
    private readonly double[] _theta;
    private readonly IReadOnlyList<Point> _points;
    private readonly Cholesky<double> _cholesky;
    private readonly Vector<double> _alpha;
    private readonly double[] _alphaArray;
    private readonly double[][] _lower;
    private readonly PreparedKernel _prepared;

    private GaussianProcessModel(Matern52Kernel kernel, double[] theta, IReadOnlyList<Point> points, Vector<double> labels, Cholesky<double> cholesky, Matrix<double> gram)
    {
        _kernel = kernel;
        _theta = theta;
        _points = points;
        _cholesky = cholesky;
        _alpha = cholesky.Solve(labels);
        _alphaArray = _alpha.ToArray();
        _prepared = kernel.Prepare(theta);
        var factor = cholesky.Factor;
        _lower = [.. Enumerable.Range(0, points.Count).Select(i => Enumerable.Range(0, i + 1).Select(j => factor[i, j]).ToArray())];
        Gram = gram;
        Labels = labels;
    }

    public Matrix<double> Gram { get; }

    public Vector<double> Labels { get; }

    /// <summary>Fits the posterior; retries with growing jitter when the Gram matrix is numerically singular.</summary>
    public static GaussianProcessModel Fit(Matern52Kernel kernel, double[] theta, IReadOnlyList<Point> points, Vector<double> labels)
    {
        var n = points.Count;
        var prepared = kernel.Prepare(theta);
        var gram = Matrix<double>.Build.Dense(n, n);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var k = prepared.Value(points[i], points[j]);
                gram[i, j] = k;
                gram[j, i] = k;
            }
        }

        var noise = Math.Exp(theta[kernel.NoiseIndex]);
        for (var jitter = 1e-9; ; jitter *= 10)
        {
            var k = gram.Clone();
            for (var i = 0; i < n; i++)
            {
                k[i, i] += noise + jitter;
            }

            try
            {
                var cholesky = k.Cholesky();
                if (double.IsFinite(cholesky.DeterminantLn))
                {
                    return new GaussianProcessModel(kernel, theta, points, labels, cholesky, k);
                }
            }
            catch (ArgumentException) when (jitter < 1)
            {
                // Not positive definite at this jitter: try a larger one.
            }

            if (jitter >= 1)
            {
                throw new InvalidOperationException("The GP Gram matrix is not positive definite even with jitter 1.");
            }
        }
    }

    /// <summary>Log marginal likelihood: -1/2 y'a - 1/2 log|K| - n/2 log 2 pi.</summary>
    public double LogMarginalLikelihood =>
        (-0.5 * Labels.DotProduct(_alpha)) - (0.5 * _cholesky.DeterminantLn) - (0.5 * Labels.Count * Math.Log(2 * Math.PI));

    /// <summary>Posterior mean and standard deviation at <paramref name="x"/>.</summary>
    public (double Mean, double StdDev) Predict(Point x)
    {
        var n = _points.Count;
        var k = new double[n];
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            k[i] = _prepared.Value(x, _points[i]);
            mean += k[i] * _alphaArray[i];
        }

        // v = L^-1 k by forward substitution; the posterior variance is k(x, x) - v'v.
        var vv = 0.0;
        for (var i = 0; i < n; i++)
        {
            var row = _lower[i];
            var sum = k[i];
            for (var j = 0; j < i; j++)
            {
                sum -= row[j] * k[j];
            }

            k[i] = sum / row[i];
            vv += k[i] * k[i];
        }

        var variance = _prepared.Scale - vv;
        return (mean, Math.Sqrt(Math.Max(variance, 1e-12)));
    }
}
