using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms.Evolution;

/// <summary>
/// Regularized (aging) evolution, as in PyGlove's <c>regularized_evolution</c>: the population is the most recent
/// completed trials (default 100), so old individuals die of age; each child mutates one parameter of the winner of a
/// tournament among a random sample of the population (default 10). Until the population is full, random points
/// (trials in flight count towards it). Everything comes from the study's trials, so any number of workers can ask
/// at once. Study metadata "regularized_evolution" / "population_size" and "tournament_size" override the defaults.
/// </summary>
internal sealed class RegularizedEvolution : ISuggestionAlgorithm
{
    /// <summary>The metadata namespace for settings.</summary>
    public const string Namespace = "regularized_evolution";

    /// <inheritdoc />
    public SuggestionOutcome Suggest(SuggestionContext context)
    {
        var random = context.CreateRandom(Namespace);
        var populationSize = Population.Setting(context.StudyMetadata, Namespace, "population_size", 100, 2);
        var tournamentSize = Math.Min(populationSize, Population.Setting(context.StudyMetadata, Namespace, "tournament_size", 10, 1));
        var completed = Population.Completed(context.Config, context.Trials);
        var population = completed.TakeLast(populationSize).ToList();
        var fitness = Population.Fitness(population);
        var suggestions = new List<ImmutableDictionary<string, ParameterValue>>();
        var started = context.Trials.Count;
        for (var k = 0; k < context.Count; k++)
        {
            if (started + k < populationSize || population.Count == 0)
            {
                suggestions.Add(AssignmentBuilder.Sample(context.Config.Parameters, random));
                continue;
            }

            var sample = Enumerable.Range(0, tournamentSize).Select(_ => random.Next(population.Count)).ToList();
            var winner = sample.MaxBy(i => fitness[i]);
            suggestions.Add(Population.MutateOne(context.Config, population[winner].Trial.Parameters, random));
        }

        return new SuggestionOutcome { Suggestions = suggestions };
    }
}
