using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>A zero-mean GP posterior for fixed hyperparameters.</summary>
internal sealed class GaussianProcessModel
{
    private readonly IReadOnlyList<Point> _points;
    private readonly double[] _alpha;
    private readonly double[][] _lower;
    private readonly PreparedKernel _prepared;

    private GaussianProcessModel(PreparedKernel prepared, IReadOnlyList<Point> points, Vector<double> labels, Cholesky<double> cholesky)
    {
        _prepared = prepared;
        _points = points;
        _alpha = cholesky.Solve(labels).ToArray();
        var factor = cholesky.Factor;
        _lower = [.. Enumerable.Range(0, points.Count).Select(i => Enumerable.Range(0, i + 1).Select(j => factor[i, j]).ToArray())];
    }

    /// <summary>Fits the posterior; throws <see cref="ArgumentException"/> when the kernel matrix is singular even with jitter.</summary>
    public static GaussianProcessModel Fit(Matern52Kernel kernel, double[] theta, IReadOnlyList<Point> points, Vector<double> labels)
    {
        var n = points.Count;
        var prepared = kernel.Prepare(theta);
        var noise = Math.Exp(theta[kernel.NoiseIndex]);
        var gram = Matrix<double>.Build.Dense(n, n);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var k = prepared.Value(points[i], points[j]);
                gram[i, j] = k;
                gram[j, i] = k;
            }

            gram[i, i] = prepared.Scale + noise;
        }

        return new GaussianProcessModel(prepared, points, labels, PositiveDefinite.Cholesky(gram));
    }

    /// <summary>Posterior mean and standard deviation at <paramref name="x"/>.</summary>
    public (double Mean, double StdDev) Predict(Point x)
    {
        var n = _points.Count;
        var k = new double[n];
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            k[i] = _prepared.Value(x, _points[i]);
            mean += k[i] * _alpha[i];
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
