using MathNet.Numerics.LinearAlgebra;
using Lanes = System.Numerics.Vector<double>;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>A zero-mean GP posterior for fixed hyperparameters.</summary>
internal sealed class GaussianProcessModel
{
    /// <summary>Candidates predicted together by <see cref="Predict(IReadOnlyList{Point}, double[], double[])"/>: four vectors of lanes.</summary>
    private static readonly int BatchSize = 4 * Lanes.Count;

    private readonly IReadOnlyList<Point> _points;
    private readonly double[] _alpha;
    private readonly double[][] _lower;
    private readonly PreparedKernel _prepared;
    private readonly double[] _coordinates; // dimension-major: _coordinates[d * n + i] = point i's coordinate d

    private GaussianProcessModel(PreparedKernel prepared, IReadOnlyList<Point> points, double[] alpha, double[] factor)
    {
        var n = points.Count;
        _prepared = prepared;
        _points = points;
        _alpha = alpha;
        _lower = [.. Enumerable.Range(0, n).Select(i => Enumerable.Range(0, i + 1).Select(j => factor[(j * n) + i]).ToArray())];
        var dims = n == 0 ? 0 : points[0].Coordinates.Length;
        _coordinates = new double[dims * n];
        for (var i = 0; i < n; i++)
        {
            for (var d = 0; d < dims; d++)
            {
                _coordinates[(d * n) + i] = points[i].Coordinates[d];
            }
        }
    }

    /// <summary>Fits the posterior; throws <see cref="ArgumentException"/> when the kernel matrix is singular even with jitter.</summary>
    public static GaussianProcessModel Fit(Matern52Kernel kernel, double[] theta, IReadOnlyList<Point> points, Vector<double> labels)
    {
        var n = points.Count;
        var prepared = kernel.Prepare(theta);
        var noise = Math.Exp(theta[kernel.NoiseIndex]);

        // The lower triangle, column-major: what the factorization reads.
        var gram = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                gram[(j * n) + i] = prepared.Value(points[i], points[j]);
            }

            gram[(i * n) + i] = prepared.Scale + noise;
        }

        var factor = new double[n * n];
        if (!CholeskyArrays.TryFactorWithJitter(gram, n, factor, new double[2 * n]))
        {
            throw new ArgumentException("The kernel matrix is not positive definite even with jitter 1e-3.");
        }

        var alpha = labels.ToArray();
        CholeskyArrays.Solve(factor, n, alpha);
        return new GaussianProcessModel(prepared, points, alpha, factor);
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

    /// <summary>
    /// <see cref="Predict(Point)"/> at many points, with the same doubles. The forward substitution is a chain of
    /// dependent subtractions per point; here one lane of a vector carries each point's chain, in the same order, so
    /// a batch of points costs about what one did. Batches are independent and run in parallel.
    /// </summary>
    public void Predict(IReadOnlyList<Point> xs, double[] means, double[] sds)
    {
        var batches = (xs.Count + BatchSize - 1) / BatchSize;
        var n = _points.Count;

        // Each batch writes only its own slots of the outputs, so the results do not depend on the scheduling.
        // The default scheduler: inside a grain the current one runs one task at a time.
        var options = new ParallelOptions { TaskScheduler = TaskScheduler.Default };
        Parallel.For(0, batches, options, () => (Kernel: new double[n * BatchSize], Row: new double[n]), (b, _, buffers) =>
        {
            PredictBatch(xs, b * BatchSize, Math.Min(BatchSize, xs.Count - (b * BatchSize)), means, sds, buffers.Kernel, buffers.Row);
            return buffers;
        }, _ => { });
    }

    private void PredictBatch(IReadOnlyList<Point> xs, int first, int count, double[] means, double[] sds, double[] kernel, double[] row)
    {
        var n = _points.Count;
        var size = BatchSize;

        // kernel[i * size + lane] = k(x_lane, point i); lanes past count repeat the last point and are dropped.
        for (var lane = 0; lane < size; lane++)
        {
            var x = xs[first + Math.Min(lane, count - 1)];
            _prepared.Values(x, _points, _coordinates, row);
            var mean = 0.0;
            for (var i = 0; i < n; i++)
            {
                kernel[(i * size) + lane] = row[i];
                mean += row[i] * _alpha[i];
            }

            if (lane < count)
            {
                means[first + lane] = mean;
            }
        }

        var w = Lanes.Count;
        var vv0 = Lanes.Zero;
        var vv1 = Lanes.Zero;
        var vv2 = Lanes.Zero;
        var vv3 = Lanes.Zero;
        for (var i = 0; i < n; i++)
        {
            var lower = _lower[i];
            var at = i * size;
            var s0 = new Lanes(kernel, at);
            var s1 = new Lanes(kernel, at + w);
            var s2 = new Lanes(kernel, at + (2 * w));
            var s3 = new Lanes(kernel, at + (3 * w));
            for (var j = 0; j < i; j++)
            {
                var l = new Lanes(lower[j]);
                var from = j * size;
                s0 -= l * new Lanes(kernel, from);
                s1 -= l * new Lanes(kernel, from + w);
                s2 -= l * new Lanes(kernel, from + (2 * w));
                s3 -= l * new Lanes(kernel, from + (3 * w));
            }

            var diagonal = new Lanes(lower[i]);
            s0 /= diagonal;
            s1 /= diagonal;
            s2 /= diagonal;
            s3 /= diagonal;
            s0.CopyTo(kernel, at);
            s1.CopyTo(kernel, at + w);
            s2.CopyTo(kernel, at + (2 * w));
            s3.CopyTo(kernel, at + (3 * w));
            vv0 += s0 * s0;
            vv1 += s1 * s1;
            vv2 += s2 * s2;
            vv3 += s3 * s3;
        }

        Span<double> vv = stackalloc double[size];
        vv0.CopyTo(vv);
        vv1.CopyTo(vv[w..]);
        vv2.CopyTo(vv[(2 * w)..]);
        vv3.CopyTo(vv[(3 * w)..]);
        for (var lane = 0; lane < count; lane++)
        {
            var variance = _prepared.Scale - vv[lane];
            sds[first + lane] = Math.Sqrt(Math.Max(variance, 1e-12));
        }
    }
}
