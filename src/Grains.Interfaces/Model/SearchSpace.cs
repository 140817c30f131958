using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>Walks a (possibly conditional) search space: which parameters are active, and whether an assignment fits.</summary>
public static class SearchSpace
{
    /// <summary>Every parameter in the tree, parents before children.</summary>
    public static IEnumerable<ParameterConfig> Flatten(IEnumerable<ParameterConfig> roots)
    {
        foreach (var p in roots)
        {
            yield return p;
            foreach (var child in Flatten(p.Children.Select(c => c.Parameter)))
            {
                yield return child;
            }
        }
    }

    /// <summary>True when no parameter has conditional children.</summary>
    public static bool IsFlat(IEnumerable<ParameterConfig> roots) => roots.All(p => p.Children.IsEmpty);

    /// <summary>The children of <paramref name="parent"/> that are active when it takes <paramref name="value"/>.</summary>
    public static IEnumerable<ParameterConfig> ActiveChildren(ParameterConfig parent, ParameterValue value) =>
        parent.Children.Where(c => c.ParentValues.Any(v => SameValue(v, value))).Select(c => c.Parameter);

    /// <summary>Two values are the same feasible value.</summary>
    public static bool SameValue(ParameterValue a, ParameterValue b) =>
        a.Text is not null ? a.Text == b.Text : b.Text is null && a.Number == b.Number;

    /// <summary>
    /// Checks that <paramref name="parameters"/> assigns a feasible value to exactly the active parameters;
    /// throws <see cref="InvalidArgumentException"/> naming the parameter otherwise.
    /// </summary>
    public static void Validate(StudyConfig config, IReadOnlyDictionary<string, ParameterValue> parameters, string what)
    {
        var active = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<ParameterConfig>(config.Parameters.AsEnumerable().Reverse());
        while (pending.TryPop(out var p))
        {
            if (!parameters.TryGetValue(p.Name, out var value))
            {
                throw new InvalidArgumentException($"{what}: parameter '{p.Name}' is missing.");
            }

            if (!p.IsFeasible(value))
            {
                throw new InvalidArgumentException($"{what}: parameter '{p.Name}' = {value} is outside the search space ({Describe(p)}).");
            }

            active.Add(p.Name);
            foreach (var child in ActiveChildren(p, value))
            {
                pending.Push(child);
            }
        }

        foreach (var name in parameters.Keys.Where(n => !active.Contains(n)))
        {
            throw new InvalidArgumentException($"{what}: parameter '{name}' is not an active parameter of the search space.");
        }
    }

    /// <summary>A short description of a parameter's feasible values, for error messages.</summary>
    public static string Describe(ParameterConfig p) => p.Type switch
    {
        ParameterType.Double => $"DOUBLE in [{p.Min}, {p.Max}]",
        ParameterType.Integer => $"INTEGER in [{p.Min}, {p.Max}]",
        ParameterType.Discrete => $"DISCRETE in {{{string.Join(", ", p.FeasibleValues)}}}",
        _ => $"CATEGORICAL in {{{string.Join(", ", p.Categories)}}}",
    };

    /// <summary>An assignment builder: an empty dictionary to fill.</summary>
    public static ImmutableDictionary<string, ParameterValue>.Builder NewAssignment() =>
        ImmutableDictionary.CreateBuilder<string, ParameterValue>(StringComparer.Ordinal);
}
