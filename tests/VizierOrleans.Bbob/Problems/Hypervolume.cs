namespace VizierOrleans.Bbob.Problems;

/// <summary>Exact hypervolume (all objectives minimized) of points against a reference point, for 2 and 3 objectives.</summary>
public static class Hypervolume
{
    /// <summary>The volume dominated by <paramref name="points"/> and bounded by <paramref name="reference"/>.</summary>
    public static double Of(IEnumerable<double[]> points, double[] reference)
    {
        var inside = points.Where(p => p.Zip(reference).All(z => z.First < z.Second)).ToList();
        return reference.Length switch
        {
            2 => TwoD(inside.Select(p => (p[0], p[1])), (reference[0], reference[1])),
            3 => ThreeD(inside, reference),
            _ => throw new ArgumentException("Hypervolume is implemented for 2 and 3 objectives.", nameof(reference)),
        };
    }

    private static double TwoD(IEnumerable<(double F1, double F2)> points, (double F1, double F2) reference)
    {
        var volume = 0.0;
        var lastF2 = reference.F2;
        foreach (var (f1, f2) in points.OrderBy(p => p.F1).ThenBy(p => p.F2))
        {
            if (f2 < lastF2)
            {
                volume += (reference.F1 - f1) * (lastF2 - f2);
                lastF2 = f2;
            }
        }

        return volume;
    }

    // Slices along the third objective: between consecutive f3 levels the dominated region is the 2-D one of the
    // points at or below the level.
    private static double ThreeD(List<double[]> points, double[] reference)
    {
        var sorted = points.OrderBy(p => p[2]).ToList();
        var volume = 0.0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var top = i + 1 < sorted.Count ? sorted[i + 1][2] : reference[2];
            if (top > sorted[i][2])
            {
                volume += TwoD(sorted.Take(i + 1).Select(p => (p[0], p[1])), (reference[0], reference[1])) * (top - sorted[i][2]);
            }
        }

        return volume;
    }
}
