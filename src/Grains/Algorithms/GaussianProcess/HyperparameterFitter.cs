using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>
/// Maximizes the log marginal likelihood (plus a weak log-normal prior on the length scales) over the log
/// hyperparameters with bounded L-BFGS-B and analytic gradients, from a default start and a few random restarts.
/// </summary>
internal static class HyperparameterFitter
{

    public static double[] Fit(Matern52Kernel kernel, IReadOnlyList<Point> points, Vector<double> labels, Random random, double[]? warmStart = null)
    {
        var (lower, upper) = Bounds(kernel);
        var cache = new LikelihoodCache(kernel, points, labels);

        // The previous call's fit is usually close: refine it alone. Without one: the default and a random restart
        // (only the default for large data sets, where each evaluation costs more).
        var restarts = warmStart is not null || points.Count > 150 ? 0 : 1;
        var starts = new List<double[]> { warmStart is { } w && w.Length == kernel.Count ? [.. w.Select((v, i) => Math.Clamp(v, lower[i], upper[i]))] : Default(kernel) };
        for (var r = 0; r < restarts; r++)
        {
            starts.Add([.. Enumerable.Range(0, kernel.Count).Select(i => lower[i] + (random.NextDouble() * (upper[i] - lower[i])))]);
        }

        double[] best = starts[0];
        var bestValue = double.PositiveInfinity;
        var objective = ObjectiveFunction.Gradient(v =>
        {
            var (value, gradient) = cache.Evaluate(v.ToArray());
            return (value, Vector<double>.Build.Dense(gradient));
        });
        var minimizer = new BfgsBMinimizer(1e-4, 1e-5, 1e-6, maximumIterations: points.Count > 150 ? 20 : 30);
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

            var value = cache.Evaluate(candidate).Value;
            if (value < bestValue)
            {
                (best, bestValue) = (candidate, value);
            }
        }

        return best;
    }

    /// <summary>Minus (log marginal likelihood + log prior), and its gradient.</summary>
    public static (double Value, double[] Gradient) NegativeLogPosterior(Matern52Kernel kernel, double[] theta, IReadOnlyList<Point> points, Vector<double> labels) =>
        new LikelihoodCache(kernel, points, labels).Evaluate(theta);

    public static double[] Default(Matern52Kernel kernel)
    {
        var theta = new double[kernel.Count];
        theta[0] = 0;
        for (var d = 0; d < kernel.Continuous; d++)
        {
            theta[1 + d] = LikelihoodCache.PriorMean;
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
