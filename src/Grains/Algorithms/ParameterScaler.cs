using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>
/// Maps a parameter's values to [0, 1] and back, in the parameter's scale. INTEGER, DISCRETE and CATEGORICAL
/// values snap to the nearest feasible value on the way back.
/// </summary>
internal static class ParameterScaler
{
    /// <summary>The position of <paramref name="value"/> in [0, 1].</summary>
    public static double ToUnit(ParameterConfig p, ParameterValue value)
    {
        if (p.Type == ParameterType.Categorical)
        {
            var n = p.Categories.Count;
            var index = p.Categories.IndexOf(value.Text ?? string.Empty);
            return n == 1 ? 0.5 : Math.Max(index, 0) / (double)(n - 1);
        }

        return NumberToUnit(p, value.AsDouble());
    }

    /// <summary>The position of a numeric value in [0, 1], before any snapping.</summary>
    public static double NumberToUnit(ParameterConfig p, double x)
    {
        double lo = p.LowerBound, hi = p.UpperBound;
        if (hi <= lo)
        {
            return 0.5;
        }

        var u = p.Scale switch
        {
            ScaleType.Log => (Math.Log(x) - Math.Log(lo)) / (Math.Log(hi) - Math.Log(lo)),
            ScaleType.ReverseLog => 1.0 - ((Math.Log(hi + lo - x) - Math.Log(lo)) / (Math.Log(hi) - Math.Log(lo))),
            _ => (x - lo) / (hi - lo),
        };
        return Math.Clamp(u, 0.0, 1.0);
    }

    /// <summary>The feasible value at position <paramref name="unit"/> (clamped into [0, 1]).</summary>
    public static ParameterValue FromUnit(ParameterConfig p, double unit)
    {
        var u = double.IsFinite(unit) ? Math.Clamp(unit, 0.0, 1.0) : 0.5;
        switch (p.Type)
        {
            case ParameterType.Categorical:
                var i = (int)Math.Round(u * (p.Categories.Count - 1));
                return ParameterValue.Of(p.Categories[i]);
            case ParameterType.Discrete:
                return ParameterValue.Of(Nearest(p.FeasibleValues, UnitToNumber(p, u)));
            case ParameterType.Integer:
                return ParameterValue.Of(Math.Clamp(Math.Round(UnitToNumber(p, u)), p.Min, p.Max));
            default:
                return ParameterValue.Of(Math.Clamp(UnitToNumber(p, u), p.Min, p.Max));
        }
    }

    /// <summary>The numeric value at position <paramref name="u"/>, before snapping.</summary>
    public static double UnitToNumber(ParameterConfig p, double u)
    {
        double lo = p.LowerBound, hi = p.UpperBound;
        return p.Scale switch
        {
            ScaleType.Log => Math.Exp(Math.Log(lo) + (u * (Math.Log(hi) - Math.Log(lo)))),
            ScaleType.ReverseLog => hi + lo - Math.Exp(Math.Log(lo) + ((1.0 - u) * (Math.Log(hi) - Math.Log(lo)))),
            _ => lo + (u * (hi - lo)),
        };
    }

    /// <summary>The feasible value of a sorted list closest to <paramref name="x"/>.</summary>
    public static double Nearest(IReadOnlyList<double> sorted, double x)
    {
        int lo = 0, hi = sorted.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo > 0 && Math.Abs(sorted[lo - 1] - x) <= Math.Abs(sorted[lo] - x) ? sorted[lo - 1] : sorted[lo];
    }
}
