using System.Globalization;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>
/// A scrambled Halton sequence: dimension d uses the d-th prime as its base, with a seeded random digit
/// permutation per dimension (Owen-style scrambling keeps low discrepancy and breaks the correlation of large bases).
/// The position in the sequence is kept in study metadata, so deleted trials never repeat a point.
/// </summary>
internal sealed class QuasiRandomSearch : ISuggestionAlgorithm
{
    /// <summary>The metadata namespace this algorithm keeps its cursor in.</summary>
    public const string Namespace = "quasi_random_search";

    private const string CursorKey = "next_index";

    /// <inheritdoc />
    public SuggestionOutcome Suggest(SuggestionContext context)
    {
        var parameters = SearchSpace.Flatten(context.Config.Parameters).ToList();
        var dimensions = parameters.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var primes = Primes(parameters.Count);
        var permutations = primes.Select((b, d) => Permutation(b, context.Seed, d)).ToArray();

        // Start at 1: index 0 is the origin in every base, which is a corner of the space.
        var cursor = long.TryParse(context.StudyMetadata.Get(Namespace, CursorKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : 1;
        var suggestions = new List<System.Collections.Immutable.ImmutableDictionary<string, ParameterValue>>(context.Count);
        for (var k = 0; k < context.Count; k++, cursor++)
        {
            var index = cursor;
            suggestions.Add(AssignmentBuilder.FromUnit(context.Config.Parameters, p =>
            {
                var d = dimensions[p.Name];
                return RadicalInverse(index, primes[d], permutations[d]);
            }));
        }

        return new SuggestionOutcome
        {
            Suggestions = suggestions,
            MetadataUpdates = [new MetadataItem(Namespace, CursorKey, cursor.ToString(CultureInfo.InvariantCulture))],
        };
    }

    /// <summary>The scrambled radical inverse of <paramref name="index"/> in <paramref name="b"/>: a point in [0, 1).</summary>
    internal static double RadicalInverse(long index, int b, int[] permutation)
    {
        double result = 0, scale = 1.0 / b;
        while (index > 0)
        {
            result += permutation[index % b] * scale;
            index /= b;
            scale /= b;
        }

        // Remaining digits are 0, whose permuted value is a constant digit: add its geometric tail so that
        // the point is not biased towards the low end.
        result += permutation[0] * scale * b / (b - 1);
        return Math.Min(result, 1.0 - 1e-12);
    }

    private static int[] Permutation(int b, long seed, int dimension)
    {
        var random = SeededRandom.Create(seed, dimension, Namespace);
        var p = Enumerable.Range(0, b).ToArray();
        random.Shuffle(p);
        return p;
    }

    private static int[] Primes(int count)
    {
        var primes = new List<int>(count);
        for (var n = 2; primes.Count < count; n++)
        {
            if (primes.TrueForAll(p => p * p > n || n % p != 0))
            {
                primes.Add(n);
            }
        }

        return [.. primes];
    }
}
