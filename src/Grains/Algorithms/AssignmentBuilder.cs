using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>Builds an assignment of the active parameters of a (possibly conditional) search space.</summary>
internal static class AssignmentBuilder
{
    /// <summary>
    /// Walks the parameter tree: each root parameter gets <paramref name="choose"/>'s value, and the children that
    /// value activates are visited in turn. Inactive parameters are never asked for.
    /// </summary>
    public static ImmutableDictionary<string, ParameterValue> Build(
        IEnumerable<ParameterConfig> roots, Func<ParameterConfig, ParameterValue> choose)
    {
        var result = SearchSpace.NewAssignment();
        Visit(roots, choose, result);
        return result.ToImmutable();
    }

    /// <summary>Builds from a position in [0, 1] per parameter.</summary>
    public static ImmutableDictionary<string, ParameterValue> FromUnit(
        IEnumerable<ParameterConfig> roots, Func<ParameterConfig, double> unit) =>
        Build(roots, p => ParameterScaler.FromUnit(p, unit(p)));

    /// <summary>Uniform sampling in each parameter's scale (categories, integers and discrete values equally likely).</summary>
    public static ImmutableDictionary<string, ParameterValue> Sample(IEnumerable<ParameterConfig> roots, Random random) =>
        Build(roots, p => SampleOne(p, random));

    /// <summary>One uniform sample of one parameter.</summary>
    public static ParameterValue SampleOne(ParameterConfig p, Random random) => p.Type switch
    {
        ParameterType.Categorical => ParameterValue.Of(p.Categories[random.Next(p.Categories.Count)]),
        ParameterType.Discrete when p.Scale == ScaleType.Linear => ParameterValue.Of(p.FeasibleValues[random.Next(p.FeasibleValues.Count)]),
        ParameterType.Integer when p.Scale == ScaleType.Linear => ParameterValue.Of(p.Min + random.NextInt64((long)(p.Max - p.Min) + 1)),
        _ => ParameterScaler.FromUnit(p, random.NextDouble()),
    };

    private static void Visit(
        IEnumerable<ParameterConfig> parameters, Func<ParameterConfig, ParameterValue> choose,
        ImmutableDictionary<string, ParameterValue>.Builder result)
    {
        foreach (var p in parameters)
        {
            var value = choose(p);
            result[p.Name] = value;
            Visit(SearchSpace.ActiveChildren(p, value), choose, result);
        }
    }
}
