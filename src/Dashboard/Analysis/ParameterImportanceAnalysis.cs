using VizierOrleans.Dashboard.Api;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Dashboard.Analysis;

/// <summary>
/// Parameter importance as a first-order (main-effect) variance decomposition, the quantity fANOVA reports for single
/// parameters, estimated directly from the trials instead of from a surrogate: the objective is replaced by its ranks
/// (so one outlier cannot dominate), each parameter's values are grouped (10 equal-count bins for numeric
/// parameters, one group per category), and the parameter's importance is the correlation ratio eta squared, the
/// share of the rank variance explained by the group means. Interactions are not attributed to any parameter.
/// </summary>
internal static class ParameterImportanceAnalysis
{
    /// <summary>The method's name as the page shows it.</summary>
    public const string Method =
        "First-order variance decomposition (fANOVA main effects) estimated from the trials: the share of the objective's rank variance explained by each parameter alone (correlation ratio η², 10 equal-count bins per numeric parameter, one group per category).";

    /// <summary>Numeric parameters are grouped into this many equal-count bins.</summary>
    public const int Bins = 10;

    /// <summary>The importances for <paramref name="objective"/> over the SUCCEEDED trials.</summary>
    public static ParameterImportances Compute(StudyConfig config, IReadOnlyList<Trial> trials, string objective)
    {
        var measured = trials
            .Where(t => t.State == TrialState.Succeeded && t.FinalMeasurement is { } m && m.Metrics.ContainsKey(objective))
            .ToList();
        var ranks = Ranks(measured.Select(t => t.FinalMeasurement!.Metrics[objective]).ToList());
        var result = new List<ParameterImportance>();
        foreach (var parameter in SearchSpace.Flatten(config.Parameters))
        {
            var pairs = measured.Select((t, i) => (Trial: t, Rank: ranks[i]))
                .Where(p => p.Trial.Parameters.ContainsKey(parameter.Name))
                .ToList();
            var groups = parameter.Type == ParameterType.Categorical
                ? pairs.GroupBy(p => p.Trial.Parameters[parameter.Name].Text!).Select(g => g.Select(p => p.Rank).ToList()).ToList()
                : NumericBins(pairs.Select(p => (p.Trial.Parameters[parameter.Name].AsDouble(), p.Rank)).ToList());
            result.Add(new ParameterImportance(parameter.Name, 0, EtaSquared(groups), pairs.Count));
        }

        var sum = result.Sum(r => r.VarianceExplained);
        var normalized = result
            .Select(r => r with { Importance = sum > 0 ? r.VarianceExplained / sum : 0 })
            .OrderByDescending(r => r.Importance).ThenBy(r => r.Parameter, StringComparer.Ordinal)
            .ToList();
        return new ParameterImportances(Method, objective, measured.Count, normalized);
    }

    /// <summary>The share of the total variance of the values that the group means explain.</summary>
    public static double EtaSquared(IReadOnlyList<List<double>> groups)
    {
        var all = groups.SelectMany(g => g).ToList();
        if (all.Count < 2 || groups.Count < 2)
        {
            return 0;
        }

        var mean = all.Average();
        var total = all.Sum(v => (v - mean) * (v - mean));
        if (total <= 0)
        {
            return 0;
        }

        var between = groups.Where(g => g.Count > 0).Sum(g => g.Count * Math.Pow(g.Average() - mean, 2));
        return Math.Clamp(between / total, 0, 1);
    }

    // Equal-count bins by the parameter's value; equal values stay in one bin so an INTEGER with 3 values gives 3 groups.
    private static List<List<double>> NumericBins(List<(double Value, double Rank)> pairs)
    {
        var ordered = pairs.OrderBy(p => p.Value).ToList();
        var groups = new List<List<double>>();
        var perBin = Math.Max(1, (int)Math.Ceiling(ordered.Count / (double)Bins));
        var current = new List<double>();
        for (var i = 0; i < ordered.Count; i++)
        {
            current.Add(ordered[i].Rank);
            var lastOfValue = i + 1 == ordered.Count || ordered[i + 1].Value != ordered[i].Value;
            if (current.Count >= perBin && lastOfValue)
            {
                groups.Add(current);
                current = [];
            }
        }

        if (current.Count > 0)
        {
            groups.Add(current);
        }

        return groups;
    }

    // Average ranks, ties sharing their mean rank.
    private static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]])
            {
                j++;
            }

            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = (i + j) / 2.0;
            }

            i = j + 1;
        }

        return ranks;
    }
}
