using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>
/// Maximizes the log marginal likelihood (plus a weak log-normal prior on the length scales) over the log
/// hyperparameters with bounded L-BFGS-B and analytic gradients, from a default start and a few random restarts.
/// </summary>
internal static class HyperparameterFitter
{
    private const double PriorLengthMean = -0.7; // about 0.5 of the unit range
    private const double PriorLengthSd = 1.5;

    public static double[] Fit(Matern52Kernel kernel, IReadOnlyList<Point> points, Vector<double> labels, Random random, int restarts = 2)
    {
        var (lower, upper) = Bounds(kernel);
        var starts = new List<double[]> { Default(kernel) };
        for (var r = 0; r < restarts; r++)
        {
            starts.Add([.. Enumerable.Range(0, kernel.Count).Select(i => lower[i] + (random.NextDouble() * (upper[i] - lower[i])))]);
        }

        double[] best = starts[0];
        var bestValue = double.PositiveInfinity;
        var objective = ObjectiveFunction.Gradient(v =>
        {
            var (value, gradient) = NegativeLogPosterior(kernel, v.ToArray(), points, labels);
            return (value, Vector<double>.Build.Dense(gradient));
        });
        var minimizer = new BfgsBMinimizer(1e-5, 1e-6, 1e-7, maximumIterations: 60);
        foreach (var start in starts)
        {
            double[] candidate;
            try
            {
                var result = minimizer.FindMinimum(objective, Vector<double>.Build.Dense(lower), Vector<double>.Build.Dense(upper), Vector<double>.Build.Dense(start));
                candidate = result.MinimizingPoint.ToArray();
            }
            catch (Exception e) when (e is MaximumIterationsException or InnerOptimizationException or EvaluationException or ArgumentException or InvalidOperationException)
            {
                // The line search gave up; the start itself is still a valid (if worse) choice.
                candidate = start;
            }

            var value = NegativeLogPosterior(kernel, candidate, points, labels).Value;
            if (value < bestValue)
            {
                (best, bestValue) = (candidate, value);
            }
        }

        return best;
    }

    /// <summary>Minus (log marginal likelihood + log prior), and its gradient.</summary>
    public static (double Value, double[] Gradient) NegativeLogPosterior(Matern52Kernel kernel, double[] theta, IReadOnlyList<Point> points, Vector<double> labels)
    {
        GaussianProcessModel model;
        try
        {
            model = GaussianProcessModel.Fit(kernel, theta, points, labels);
        }
        catch (InvalidOperationException)
        {
            return (1e10, new double[theta.Length]);
        }

        var value = -model.LogMarginalLikelihood;
        var gradient = model.Gradient().Select(g => -g).ToArray();
        for (var d = 0; d < kernel.Continuous; d++)
        {
            var z = (theta[1 + d] - PriorLengthMean) / PriorLengthSd;
            value += 0.5 * z * z;
            gradient[1 + d] += z / PriorLengthSd;
        }

        return (value, gradient);
    }

    public static double[] Default(Matern52Kernel kernel)
    {
        var theta = new double[kernel.Count];
        theta[0] = 0;
        for (var d = 0; d < kernel.Continuous; d++)
        {
            theta[1 + d] = PriorLengthMean;
        }

        for (var c = 0; c < kernel.Categorical; c++)
        {
            theta[1 + kernel.Continuous + c] = 0;
        }

        theta[kernel.NoiseIndex] = Math.Log(1e-3);
        return theta;
    }

    public static (double[] Lower, double[] Upper) Bounds(Matern52Kernel kernel)
    {
        var lower = new double[kernel.Count];
        var upper = new double[kernel.Count];
        (lower[0], upper[0]) = (Math.Log(0.05), Math.Log(20));
        for (var d = 0; d < kernel.Continuous; d++)
        {
            (lower[1 + d], upper[1 + d]) = (Math.Log(0.01), Math.Log(10));
        }

        for (var c = 0; c < kernel.Categorical; c++)
        {
            (lower[1 + kernel.Continuous + c], upper[1 + kernel.Continuous + c]) = (Math.Log(0.01), Math.Log(10));
        }

        (lower[kernel.NoiseIndex], upper[kernel.NoiseIndex]) = (Math.Log(1e-6), Math.Log(0.5));
        return (lower, upper);
    }
}
