using System.Collections.Immutable;
using System.Globalization;
using MathNet.Numerics.Distributions;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms.Evolution;

/// <summary>
/// What the evolutionary algorithms share: the completed trials as scored individuals (larger fitness is better;
/// infeasible and unsafe trials below every safe one), Pareto ranks for several objectives, and mutation that keeps
/// conditional structure consistent.
/// </summary>
internal static class Population
{
    /// <summary>A completed trial with its objective vector (oriented: larger is better) and feasibility.</summary>
    public sealed record Individual(Trial Trial, double[] Objectives, bool Feasible);

    /// <summary>Completed trials in id order (SUCCEEDED with every objective, or INFEASIBLE).</summary>
    public static List<Individual> Completed(StudyConfig config, IEnumerable<Trial> trials)
    {
        var objectives = config.Objectives.ToList();
        return [.. trials
            .Where(t => t.State == TrialState.Infeasible || (t.State == TrialState.Succeeded && objectives.All(o => t.FinalMeasurement?.Metrics.ContainsKey(o.Name) == true)))
            .Select(t => t.State == TrialState.Infeasible
                ? new Individual(t, [.. objectives.Select(_ => double.NegativeInfinity)], false)
                : new Individual(t, [.. objectives.Select(o => Objectives.Oriented(o, t.FinalMeasurement!.Metrics[o.Name]))], Objectives.IsSafe(config, t)))];
    }

    /// <summary>Non-dominated sorting: rank 0 is the Pareto front; infeasible individuals rank after all feasible ones.</summary>
    public static int[] ParetoRanks(IReadOnlyList<Individual> individuals)
    {
        var ranks = new int[individuals.Count];
        var remaining = Enumerable.Range(0, individuals.Count).Where(i => individuals[i].Feasible).ToList();
        var rank = 0;
        while (remaining.Count > 0)
        {
            var front = remaining.Where(i => !remaining.Any(j => j != i && Objectives.Dominates(individuals[j].Objectives, individuals[i].Objectives))).ToList();
            front.ForEach(i => ranks[i] = rank);
            remaining = [.. remaining.Except(front)];
            rank++;
        }

        for (var i = 0; i < individuals.Count; i++)
        {
            if (!individuals[i].Feasible)
            {
                ranks[i] = rank;
            }
        }

        return ranks;
    }

    /// <summary>Scalar fitness: the objective for one, minus the Pareto rank for several; infeasible is worst.</summary>
    public static double[] Fitness(IReadOnlyList<Individual> individuals)
    {
        if (individuals.Count == 0)
        {
            return [];
        }

        if (individuals[0].Objectives.Length == 1)
        {
            return [.. individuals.Select(i => i.Feasible ? i.Objectives[0] : double.NegativeInfinity)];
        }

        return [.. ParetoRanks(individuals).Select(r => (double)-r)];
    }

    /// <summary>
    /// A copy of <paramref name="parent"/> with one active parameter changed (numeric: a Gaussian step in its scale, or
    /// a fresh value; categorical: another category). Children that the change activates get fresh values.
    /// </summary>
    public static ImmutableDictionary<string, ParameterValue> MutateOne(StudyConfig config, IReadOnlyDictionary<string, ParameterValue> parent, Random random)
    {
        var active = SearchSpace.Flatten(config.Parameters).Where(p => parent.ContainsKey(p.Name)).ToList();
        var target = active[random.Next(active.Count)];
        return AssignmentBuilder.Build(config.Parameters, p =>
        {
            if (p.Name == target.Name)
            {
                return Mutate(p, parent[p.Name], random);
            }

            return parent.TryGetValue(p.Name, out var v) ? v : AssignmentBuilder.SampleOne(p, random);
        });
    }

    /// <summary>A different value of one parameter.</summary>
    public static ParameterValue Mutate(ParameterConfig p, ParameterValue value, Random random)
    {
        if (p.Type == ParameterType.Categorical)
        {
            if (p.Categories.Count == 1)
            {
                return value;
            }

            var others = p.Categories.Where(c => c != value.Text).ToList();
            return ParameterValue.Of(others[random.Next(others.Count)]);
        }

        if (random.NextDouble() < 0.2)
        {
            return AssignmentBuilder.SampleOne(p, random);
        }

        var u = ParameterScaler.ToUnit(p, value);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var moved = ParameterScaler.FromUnit(p, Math.Clamp(u + (0.1 * Normal.Sample(random, 0, 1)), 0, 1));
            if (moved != value)
            {
                return moved;
            }
        }

        return AssignmentBuilder.SampleOne(p, random);
    }

    /// <summary>A study-metadata integer, or the default.</summary>
    public static int Setting(Metadata metadata, string ns, string key, int fallback, int min) =>
        int.TryParse(metadata.Get(ns, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min ? v : fallback;
}
