using System.Collections.Immutable;
using MathNet.Numerics.Distributions;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms.Evolution;

/// <summary>
/// Eagle strategy with a firefly search, for mixed spaces: the best completed trials are fireflies whose brightness is
/// their fitness; a new point starts at a random firefly and moves towards every brighter one with attractiveness
/// exp(-gamma r^2) (r in the normalized space), plus a small random walk; a categorical parameter takes the brighter
/// firefly's category with that attractiveness as probability. Occasionally (the eagle's global step) a random
/// point. Until there are enough fireflies, random points.
/// </summary>
internal sealed class EagleStrategy : ISuggestionAlgorithm
{
    /// <summary>The metadata namespace for settings.</summary>
    public const string Namespace = "eagle_strategy";

    private const double Gamma = 3.0;
    private const double WalkScale = 0.05;
    private const double GlobalStepProbability = 0.1;

    /// <inheritdoc />
    public SuggestionOutcome Suggest(SuggestionContext context)
    {
        var random = context.CreateRandom(Namespace);
        var size = Population.Setting(context.StudyMetadata, Namespace, "population_size", 20, 2);
        var completed = Population.Completed(context.Config, context.Trials).Where(i => i.Feasible).ToList();
        var fitness = Population.Fitness(completed);
        var flies = Enumerable.Range(0, completed.Count).OrderByDescending(i => fitness[i]).Take(size).Select(i => (completed[i].Trial.Parameters, Brightness: fitness[i])).ToList();
        var parameters = SearchSpace.Flatten(context.Config.Parameters).ToList();
        var suggestions = new List<ImmutableDictionary<string, ParameterValue>>();
        for (var k = 0; k < context.Count; k++)
        {
            if (flies.Count < Math.Min(size, 5) || random.NextDouble() < GlobalStepProbability)
            {
                suggestions.Add(AssignmentBuilder.Sample(context.Config.Parameters, random));
                continue;
            }

            var self = flies[random.Next(flies.Count)];
            var position = parameters.ToDictionary(p => p.Name, p => self.Parameters.TryGetValue(p.Name, out var v) && p.Type != ParameterType.Categorical ? ParameterScaler.ToUnit(p, v) : random.NextDouble());
            var categories = parameters.Where(p => p.Type == ParameterType.Categorical)
                .ToDictionary(p => p.Name, p => self.Parameters.TryGetValue(p.Name, out var v) ? v : AssignmentBuilder.SampleOne(p, random));
            foreach (var other in flies.Where(f => f.Brightness > self.Brightness))
            {
                var r2 = parameters.Where(p => p.Type != ParameterType.Categorical && other.Parameters.ContainsKey(p.Name))
                    .Sum(p => Math.Pow(ParameterScaler.ToUnit(p, other.Parameters[p.Name]) - position[p.Name], 2));
                var attraction = Math.Exp(-Gamma * r2);
                foreach (var p in parameters)
                {
                    if (!other.Parameters.TryGetValue(p.Name, out var target))
                    {
                        continue;
                    }

                    if (p.Type == ParameterType.Categorical)
                    {
                        if (random.NextDouble() < attraction)
                        {
                            categories[p.Name] = target;
                        }
                    }
                    else
                    {
                        position[p.Name] += attraction * (ParameterScaler.ToUnit(p, target) - position[p.Name]);
                    }
                }
            }

            suggestions.Add(AssignmentBuilder.Build(context.Config.Parameters, p => p.Type == ParameterType.Categorical
                ? categories[p.Name]
                : ParameterScaler.FromUnit(p, Math.Clamp(position[p.Name] + (WalkScale * Normal.Sample(random, 0, 1)), 0, 1))));
        }

        return new SuggestionOutcome { Suggestions = suggestions };
    }
}
