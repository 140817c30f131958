using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>
/// Turns objective values (larger is better) into GP labels robust to outliers: each value is replaced by the normal
/// quantile of its rank (ties share their mean rank), so one huge or tiny value cannot flatten the rest. The result
/// has mean 0 and standard deviation about 1.
/// </summary>
internal static class LabelWarper
{
    public static double[] Warp(IReadOnlyList<double> values)
    {
        var n = values.Count;
        if (n == 1)
        {
            return [0];
        }

        // Ranks are 1-based, ties averaged; the quantile of the middle of each rank's slot keeps them inside (0, 1).
        var ranks = values.Ranks(RankDefinition.Average);
        var warped = ranks.Select(r => Normal.InvCDF(0, 1, (r - 0.5) / n)).ToArray();
        var mean = ArrayStatistics.Mean(warped);
        var sd = ArrayStatistics.PopulationStandardDeviation(warped);
        return [.. warped.Select(w => sd > 0 ? (w - mean) / sd : 0)];
    }
}
