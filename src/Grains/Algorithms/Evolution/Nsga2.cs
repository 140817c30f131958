using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms.Evolution;

/// <summary>
/// NSGA-II for several objectives (one works too): the parents are the best <c>population_size</c> completed trials
/// (default 50) by Pareto rank, then crowding distance; children come from binary tournaments, simulated binary
/// crossover and polynomial mutation in the normalized [0, 1] space (categories: uniform crossover and reset).
/// Infeasible and unsafe trials rank below every safe one, so the search moves away from them. Until the first
/// population is complete, random points.
/// </summary>
internal sealed class Nsga2 : ISuggestionAlgorithm
{
    /// <summary>The metadata namespace for settings.</summary>
    public const string Namespace = "nsga2";

    private const double CrossoverEta = 15;
    private const double MutationEta = 20;

    /// <inheritdoc />
    public SuggestionOutcome Suggest(SuggestionContext context)
    {
        var random = context.CreateRandom(Namespace);
        var size = Population.Setting(context.StudyMetadata, Namespace, "population_size", 50, 4);
        var completed = Population.Completed(context.Config, context.Trials);
        var suggestions = new List<ImmutableDictionary<string, ParameterValue>>();
        if (context.Trials.Count < size || completed.Count < 2)
        {
            for (var k = 0; k < context.Count; k++)
            {
                suggestions.Add(AssignmentBuilder.Sample(context.Config.Parameters, random));
            }

            return new SuggestionOutcome { Suggestions = suggestions };
        }

        var ranks = Population.ParetoRanks(completed);
        var crowding = Crowding(completed, ranks);
        var parents = Enumerable.Range(0, completed.Count).OrderBy(i => ranks[i]).ThenByDescending(i => crowding[i]).Take(size).ToList();
        var parameters = SearchSpace.Flatten(context.Config.Parameters).ToList();
        for (var k = 0; k < context.Count; k++)
        {
            var a = completed[Tournament(parents, ranks, crowding, random)].Trial.Parameters;
            var b = completed[Tournament(parents, ranks, crowding, random)].Trial.Parameters;
            suggestions.Add(Child(context.Config, parameters, a, b, random));
        }

        return new SuggestionOutcome { Suggestions = suggestions };
    }

    /// <summary>Crowding distance within each front (larger: more isolated, preferred).</summary>
    internal static double[] Crowding(IReadOnlyList<Population.Individual> individuals, int[] ranks)
    {
        var distance = new double[individuals.Count];
        foreach (var front in Enumerable.Range(0, individuals.Count).GroupBy(i => ranks[i]))
        {
            var members = front.ToList();
            var objectives = individuals[members[0]].Objectives.Length;
            for (var m = 0; m < objectives; m++)
            {
                var sorted = members.Where(i => individuals[i].Feasible).OrderBy(i => individuals[i].Objectives[m]).ToList();
                if (sorted.Count == 0)
                {
                    continue;
                }

                distance[sorted[0]] = distance[sorted[^1]] = double.PositiveInfinity;
                var span = individuals[sorted[^1]].Objectives[m] - individuals[sorted[0]].Objectives[m];
                for (var i = 1; i < sorted.Count - 1 && span > 0; i++)
                {
                    distance[sorted[i]] += (individuals[sorted[i + 1]].Objectives[m] - individuals[sorted[i - 1]].Objectives[m]) / span;
                }
            }
        }

        return distance;
    }

    private static int Tournament(List<int> parents, int[] ranks, double[] crowding, Random random)
    {
        var a = parents[random.Next(parents.Count)];
        var b = parents[random.Next(parents.Count)];
        return ranks[a] != ranks[b] ? (ranks[a] < ranks[b] ? a : b) : (crowding[a] >= crowding[b] ? a : b);
    }

    private static ImmutableDictionary<string, ParameterValue> Child(
        StudyConfig config, List<ParameterConfig> parameters, IReadOnlyDictionary<string, ParameterValue> a, IReadOnlyDictionary<string, ParameterValue> b, Random random)
    {
        var mutationRate = 1.0 / Math.Max(1, parameters.Count);
        return AssignmentBuilder.Build(config.Parameters, p =>
        {
            var hasA = a.TryGetValue(p.Name, out var va);
            var hasB = b.TryGetValue(p.Name, out var vb);
            if (!hasA && !hasB)
            {
                return AssignmentBuilder.SampleOne(p, random);
            }

            ParameterValue value;
            if (!hasA || !hasB || p.Type == ParameterType.Categorical)
            {
                value = hasA && (!hasB || random.NextDouble() < 0.5) ? va! : vb!;
            }
            else
            {
                value = ParameterScaler.FromUnit(p, Sbx(ParameterScaler.ToUnit(p, va!), ParameterScaler.ToUnit(p, vb!), random));
            }

            if (random.NextDouble() < mutationRate)
            {
                value = p.Type == ParameterType.Categorical
                    ? Population.Mutate(p, value, random)
                    : ParameterScaler.FromUnit(p, PolynomialMutation(ParameterScaler.ToUnit(p, value), random));
            }

            return value;
        });
    }

    /// <summary>Simulated binary crossover of two values in [0, 1]; returns one child.</summary>
    private static double Sbx(double x1, double x2, Random random)
    {
        var u = random.NextDouble();
        var beta = u <= 0.5 ? Math.Pow(2 * u, 1 / (CrossoverEta + 1)) : Math.Pow(1 / (2 * (1 - u)), 1 / (CrossoverEta + 1));
        var child = random.NextDouble() < 0.5 ? 0.5 * (((1 + beta) * x1) + ((1 - beta) * x2)) : 0.5 * (((1 - beta) * x1) + ((1 + beta) * x2));
        return Math.Clamp(child, 0, 1);
    }

    private static double PolynomialMutation(double x, Random random)
    {
        var u = random.NextDouble();
        var delta = u < 0.5 ? Math.Pow(2 * u, 1 / (MutationEta + 1)) - 1 : 1 - Math.Pow(2 * (1 - u), 1 / (MutationEta + 1));
        return Math.Clamp(x + delta, 0, 1);
    }
}
