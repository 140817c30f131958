using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Properties;

/// <summary>Every algorithm of the catalog, on random search spaces and seeds.</summary>
public sealed class AlgorithmProperties
{
    /// <summary>Suggestion calls per run (1, 2, 3, 1, ... points each), with the study's trials completed in between.</summary>
    private const int Calls = 4;

    [Property(MaxTest = 8)]
    public Property Every_algorithm_suggests_only_feasible_points_and_the_same_ones_under_the_same_seed() =>
        Prop.ForAll(StudyGenerators.Studies(Gen.Constant(AlgorithmNames.Default)), study =>
        {
            foreach (var name in AlgorithmRegistry.KnownNames.Order(StringComparer.Ordinal))
            {
                var config = study.Config with { Algorithm = name };
                if (AlgorithmRegistry.Create(name) is ISearchSpaceRequirement requirement && Refuses(requirement, config))
                {
                    continue;
                }

                var first = Run(name, config, study.Seed);
                var second = Run(name, config, study.Seed);
                Assert.NotEmpty(first);
                Assert.Equal(first, second);
            }
        });

    /// <summary>An algorithm that cannot search a space refuses it as study creation reports it: field "algorithm", with the reason.</summary>
    private static bool Refuses(ISearchSpaceRequirement requirement, StudyConfig config)
    {
        try
        {
            requirement.Check(config);
            return false;
        }
        catch (InvalidStudyConfigException e)
        {
            Assert.Equal("algorithm", e.Field);
            return true;
        }
    }

    /// <summary>Drives the algorithm like the study grain: all trials so far (pending included), metadata kept, ids advancing.</summary>
    private static List<string> Run(string name, StudyConfig config, long seed)
    {
        var algorithm = AlgorithmRegistry.Create(name);
        var trials = new List<Trial>();
        var metadata = Metadata.Empty;
        var points = new List<string>();
        for (var call = 0; call < Calls; call++)
        {
            var outcome = algorithm.Suggest(new SuggestionContext
            {
                Config = config,
                Trials = trials,
                StudyMetadata = metadata,
                Count = 1 + (call % 3),
                NextTrialId = trials.Count + 1,
                Seed = seed,
            });
            metadata = metadata.With(outcome.MetadataUpdates);
            Assert.True(outcome.Suggestions.Count <= 1 + (call % 3), $"{name} suggested more points than asked for");
            foreach (var point in outcome.Suggestions)
            {
                SearchSpace.Validate(config, point, $"{name} suggestion {trials.Count + 1}");
                points.Add(Format(point));
                trials.Add(new Trial { StudyName = "owners/p/studies/s", Id = trials.Count + 1, Parameters = point, State = TrialState.Active });
            }

            // Complete all but the newest trial, so the next call sees finished and pending trials.
            for (var i = 0; i < trials.Count - 1; i++)
            {
                if (trials[i].State == TrialState.Active)
                {
                    trials[i] = trials[i] with { State = TrialState.Succeeded, FinalMeasurement = Evaluate(config, trials[i].Parameters) };
                }
            }

            if (outcome.Exhausted)
            {
                break;
            }
        }

        return points;
    }

    /// <summary>A deterministic measurement of every metric: a smooth function of the numeric values and category indices.</summary>
    private static Measurement Evaluate(StudyConfig config, ImmutableDictionary<string, ParameterValue> point)
    {
        var x = point.OrderBy(p => p.Key, StringComparer.Ordinal).Sum(p => p.Value.Number is double d ? Math.Tanh(d / 10) : p.Value.Text!.Length % 3);
        return Measurement.Of(config.Metrics.Select((m, i) => new KeyValuePair<string, double>(m.Name, Math.Sin(x + i))));
    }

    private static string Format(ImmutableDictionary<string, ParameterValue> point) =>
        string.Join(",", point.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
