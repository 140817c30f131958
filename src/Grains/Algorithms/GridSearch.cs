using System.Collections.Immutable;
using System.Globalization;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>
/// Every point of the grid, once: CATEGORICAL and DISCRETE parameters take each value, INTEGER each value (or
/// <see cref="PointsPerNumericParameter"/> evenly spaced ones when the range is larger), DOUBLE that many evenly
/// spaced values in its scale. Conditional children are enumerated under each parent value that activates them.
/// The study's metadata keeps the cursor; when the grid is exhausted the algorithm says so and suggests nothing.
/// With <c>shuffled</c>, the order is a seeded permutation of the grid.
/// </summary>
internal sealed class GridSearch(bool shuffled) : ISuggestionAlgorithm, ISearchSpaceRequirement
{
    /// <summary>How many values a DOUBLE (or a wide INTEGER) parameter contributes to the grid.</summary>
    public const int PointsPerNumericParameter = 10;

    /// <summary>The most grid points a study may enumerate (shuffling needs the whole grid in memory).</summary>
    public const long MaxGridSize = 10_000_000;

    private const string CursorKey = "next_index";

    /// <summary>The metadata namespace.</summary>
    public string Namespace => shuffled ? "shuffled_grid_search" : "grid_search";

    /// <summary>Refuses, when the study is created, a grid too large to enumerate (rather than failing every suggestion later).</summary>
    public void Check(StudyConfig config)
    {
        var size = CountPoints(config.Parameters);
        if (size > MaxGridSize)
        {
            throw new InvalidStudyConfigException("algorithm", $"the grid has {size} points, more than the {MaxGridSize} that grid search enumerates; narrow the search space.");
        }
    }

    /// <inheritdoc />
    public SuggestionOutcome Suggest(SuggestionContext context)
    {
        var size = CountPoints(context.Config.Parameters);
        if (size > MaxGridSize)
        {
            throw new InvalidArgumentException($"The grid has {size} points, more than the {MaxGridSize} that grid search enumerates; narrow the search space.");
        }

        var cursor = long.TryParse(context.StudyMetadata.Get(Namespace, CursorKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : 0;
        var order = shuffled ? ShuffledOrder(size, context.Seed) : null;
        var suggestions = new List<ImmutableDictionary<string, ParameterValue>>();
        while (suggestions.Count < context.Count && cursor < size)
        {
            var index = order is null ? cursor : order[cursor];
            suggestions.Add(PointAt(context.Config.Parameters, index));
            cursor++;
        }

        return new SuggestionOutcome
        {
            Suggestions = suggestions,
            MetadataUpdates = [new MetadataItem(Namespace, CursorKey, cursor.ToString(CultureInfo.InvariantCulture))],
            Exhausted = cursor >= size,
        };
    }

    /// <summary>The grid values of one parameter.</summary>
    public static IReadOnlyList<ParameterValue> Values(ParameterConfig p)
    {
        switch (p.Type)
        {
            case ParameterType.Categorical:
                return [.. p.Categories.Select(ParameterValue.Of)];
            case ParameterType.Discrete:
                return [.. p.FeasibleValues.Select(ParameterValue.Of)];
            case ParameterType.Integer when p.FeasibleCount <= PointsPerNumericParameter:
                return [.. Enumerable.Range(0, (int)p.FeasibleCount!.Value).Select(i => ParameterValue.Of(p.Min + i))];
            default:
                var n = p.Min == p.Max ? 1 : PointsPerNumericParameter;
                return [.. Enumerable.Range(0, n)
                    .Select(i => ParameterScaler.FromUnit(p, n == 1 ? 0 : i / (double)(n - 1)))
                    .DistinctBy(v => v.Number)];
        }
    }

    /// <summary>The number of grid points of a list of (sibling) parameters: the product of their subtree sizes.</summary>
    public static long CountPoints(IEnumerable<ParameterConfig> parameters)
    {
        long total = 1;
        foreach (var p in parameters)
        {
            total = SaturatingMultiply(total, SubtreeSize(p));
        }

        return total;
    }

    private static long SubtreeSize(ParameterConfig p)
    {
        long sum = 0;
        foreach (var v in Values(p))
        {
            sum = Math.Min(sum + CountPoints(SearchSpace.ActiveChildren(p, v)), long.MaxValue / 2);
        }

        return sum;
    }

    /// <summary>The grid point with the given index, in mixed-radix order (the last parameter varies fastest).</summary>
    public static ImmutableDictionary<string, ParameterValue> PointAt(IReadOnlyList<ParameterConfig> parameters, long index)
    {
        var result = SearchSpace.NewAssignment();
        Fill(parameters, index, result);
        return result.ToImmutable();
    }

    private static void Fill(IReadOnlyList<ParameterConfig> parameters, long index, ImmutableDictionary<string, ParameterValue>.Builder result)
    {
        var sizes = parameters.Select(SubtreeSize).ToArray();
        for (var i = parameters.Count - 1; i >= 0; i--)
        {
            var local = index % sizes[i];
            index /= sizes[i];
            FillSubtree(parameters[i], local, result);
        }
    }

    private static void FillSubtree(ParameterConfig p, long index, ImmutableDictionary<string, ParameterValue>.Builder result)
    {
        foreach (var v in Values(p))
        {
            var children = SearchSpace.ActiveChildren(p, v).ToList();
            var size = CountPoints(children);
            if (index < size)
            {
                result[p.Name] = v;
                Fill(children, index, result);
                return;
            }

            index -= size;
        }

        throw new InvalidOperationException($"Grid index out of range for '{p.Name}'.");
    }

    private static long[] ShuffledOrder(long size, long seed)
    {
        var order = new long[size];
        for (long i = 0; i < size; i++)
        {
            order[i] = i;
        }

        SeededRandom.Create(seed, size, "shuffled_grid_search").Shuffle(order);
        return order;
    }

    private static long SaturatingMultiply(long a, long b) => b != 0 && a > long.MaxValue / b ? long.MaxValue : a * b;
}
