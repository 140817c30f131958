using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using MathNet.Numerics.Distributions;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Algorithms.Stopping;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Benchmarks;

/// <summary>
/// Early stopping on synthetic learning curves: each configuration's loss decays to its own level,
/// loss(s) = a + b exp(-s / tau) + noise. Trials run one after another for up to 100 steps; after every step the rule
/// decides. Reports the steps saved and the best final loss against running every trial to the end.
/// </summary>
public static class StoppingBenchmark
{
    private const int MaxSteps = 100;

    public static string Run(int configurations, int seeds)
    {
        var table = new StringBuilder("| rule | seeds | trials | steps run | steps saved | best final loss (median) | no stopping (median) | worse by |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var (name, rule) in new (string, IStoppingPolicy)[] { ("median", new MedianStoppingRule()), ("learning curve", new LearningCurveStoppingRule()) })
        {
            var saved = new List<double>();
            var best = new List<double>();
            var baseline = new List<double>();
            long steps = 0;
            for (var seed = 1; seed <= seeds; seed++)
            {
                var (run, bestWith, bestWithout) = Simulate(rule, configurations, seed);
                steps += run;
                saved.Add(1 - (run / (double)(configurations * MaxSteps)));
                best.Add(bestWith);
                baseline.Add(bestWithout);
            }

            var worse = Enumerable.Range(0, seeds).Select(i => (best[i] - baseline[i]) / baseline[i]).Order().ToList();
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {seeds} | {configurations} | {steps / seeds:N0} of {configurations * MaxSteps:N0} | {saved.Average():P1} | {Median(best):F4} | {Median(baseline):F4} | {Median(worse):P2} (max {worse[^1]:P2}) |");
        }

        return table.ToString();
    }

    private static (long Steps, double BestWith, double BestWithout) Simulate(IStoppingPolicy rule, int configurations, int seed)
    {
        var random = new Random(seed);
        var config = new StudyConfig
        {
            Parameters = [ParameterConfig.Double("x", 0, 1)],
            Metrics = [MetricConfig.Objective("loss", MetricGoal.Minimize)],
            Stopping = new StoppingConfig { MinSteps = 10, MinCompletedTrials = 3 },
        };
        var trials = new List<Trial>();
        long steps = 0;
        var bestWithout = double.PositiveInfinity;
        for (var i = 1; i <= configurations; i++)
        {
            double a = 0.1 + (0.9 * random.NextDouble()), b = 0.5 + (1.5 * random.NextDouble()), tau = 5 + (15 * random.NextDouble());
            var noise = Enumerable.Range(0, MaxSteps + 1).Select(_ => 0.01 * b * Normal.Sample(random, 0, 1)).ToArray();
            double Loss(int s) => a + (b * Math.Exp(-s / tau)) + noise[s];
            bestWithout = Math.Min(bestWithout, Loss(MaxSteps));

            var measurements = ImmutableList<Measurement>.Empty;
            var trial = new Trial { StudyName = "owners/b/studies/stopping", Id = i, State = TrialState.Active };
            for (var s = 1; s <= MaxSteps; s++)
            {
                measurements = measurements.Add(Measurement.Of("loss", Loss(s), steps: s));
                trial = trial with { Measurements = measurements };
                steps++;
                if (s < MaxSteps && rule.Decide(config, [.. trials, trial], [i]).Single().ShouldStop)
                {
                    break;
                }
            }

            trials.Add(trial with { State = TrialState.Succeeded, FinalMeasurement = measurements[^1] });
        }

        var bestWith = trials.Min(t => t.FinalMeasurement!.Metrics["loss"]);
        return (steps, bestWith, bestWithout);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
