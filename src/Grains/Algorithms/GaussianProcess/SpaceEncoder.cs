using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>
/// Maps assignments of a (possibly conditional) search space to model inputs and back: one coordinate in [0, 1] per
/// DOUBLE/INTEGER/DISCRETE parameter (in its scale), one category index per CATEGORICAL parameter. A parameter that
/// is inactive in a trial gets coordinate 0.5 and category -1, a value of its own that only matches other inactive ones.
/// </summary>
internal sealed class SpaceEncoder
{
    public SpaceEncoder(StudyConfig config)
    {
        Roots = config.Parameters;
        var all = SearchSpace.Flatten(config.Parameters).ToList();
        Continuous = [.. all.Where(p => p.Type != ParameterType.Categorical)];
        Categorical = [.. all.Where(p => p.Type == ParameterType.Categorical)];
    }

    public IReadOnlyList<ParameterConfig> Roots { get; }

    public ImmutableArray<ParameterConfig> Continuous { get; }

    public ImmutableArray<ParameterConfig> Categorical { get; }

    public Point Encode(IReadOnlyDictionary<string, ParameterValue> parameters)
    {
        var x = new double[Continuous.Length];
        var c = new int[Categorical.Length];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = parameters.TryGetValue(Continuous[i].Name, out var v) ? ParameterScaler.ToUnit(Continuous[i], v) : 0.5;
        }

        for (var i = 0; i < c.Length; i++)
        {
            c[i] = parameters.TryGetValue(Categorical[i].Name, out var v) ? Categorical[i].Categories.IndexOf(v.Text ?? "") : -1;
        }

        return new Point(x, c);
    }

    /// <summary>The feasible assignment a model point stands for (only the parameters its values activate).</summary>
    public ImmutableDictionary<string, ParameterValue> Decode(Point point)
    {
        var continuous = Continuous.Select((p, i) => (p.Name, i)).ToDictionary(t => t.Name, t => t.i);
        var categorical = Categorical.Select((p, i) => (p.Name, i)).ToDictionary(t => t.Name, t => t.i);
        return AssignmentBuilder.Build(Roots, p => p.Type == ParameterType.Categorical
            ? ParameterValue.Of(p.Categories[Math.Max(0, point.Categories[categorical[p.Name]])])
            : ParameterScaler.FromUnit(p, point.Coordinates[continuous[p.Name]]));
    }

    /// <summary>A point drawn uniformly (categories uniformly).</summary>
    public Point Sample(Random random) => new(
        [.. Continuous.Select(_ => random.NextDouble())],
        [.. Categorical.Select(p => random.Next(p.Categories.Count))]);

    /// <summary>The centre of the space, or the parameters' defaults where they have one.</summary>
    public Point Centre() => new(
        [.. Continuous.Select(p => p.Default is { } d ? ParameterScaler.ToUnit(p, d) : 0.5)],
        [.. Categorical.Select(p => p.Default is { } d ? Math.Max(0, p.Categories.IndexOf(d.Text ?? "")) : 0)]);
}

/// <summary>A model input: continuous coordinates in [0, 1] and category indices (-1: inactive).</summary>
internal sealed record Point(double[] Coordinates, int[] Categories)
{
    /// <summary>The largest coordinate difference to <paramref name="other"/>, counting a category change as 1.</summary>
    public double Distance(Point other)
    {
        var d = 0.0;
        for (var i = 0; i < Coordinates.Length; i++)
        {
            d = Math.Max(d, Math.Abs(Coordinates[i] - other.Coordinates[i]));
        }

        for (var i = 0; i < Categories.Length; i++)
        {
            if (Categories[i] != other.Categories[i])
            {
                d = Math.Max(d, 1);
            }
        }

        return d;
    }
}
