using MathNet.Numerics.Distributions;

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

        var order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        var ranks = new double[n];
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]])
            {
                j++;
            }

            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = (i + j) / 2.0;
            }

            i = j + 1;
        }

        var warped = ranks.Select(r => Normal.InvCDF(0, 1, (r + 0.5) / n)).ToArray();
        var mean = warped.Average();
        var sd = Math.Sqrt(warped.Select(w => (w - mean) * (w - mean)).Average());
        return [.. warped.Select(w => sd > 0 ? (w - mean) / sd : 0)];
    }
}
