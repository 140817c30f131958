using VizierOrleans.Grains.Algorithms.Stopping;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Algorithms.Stopping;

public sealed class StoppingRuleTests
{
    private static readonly StudyConfig Config = TestConfigs.TwoFloats() with
    {
        Stopping = new StoppingConfig { Rule = StoppingRule.Median, MinSteps = 2, MinCompletedTrials = 2 },
    };

    /// <summary>A trial whose loss at step s is <paramref name="curve"/>(s), for steps 1..<paramref name="steps"/>.</summary>
    private static Trial Trial(long id, TrialState state, int steps, Func<int, double> curve)
    {
        var measurements = Enumerable.Range(1, steps).Select(s => Measurement.Of("loss", curve(s), steps: s)).ToList();
        return new Trial
        {
            StudyName = "owners/t/studies/stop",
            Id = id,
            State = state,
            Measurements = [.. measurements],
            FinalMeasurement = state == TrialState.Succeeded ? measurements[^1] : null,
        };
    }

    private static List<Trial> CompletedGood() =>
    [
        Trial(1, TrialState.Succeeded, 10, s => 10.0 / s),
        Trial(2, TrialState.Succeeded, 10, s => 12.0 / s),
        Trial(3, TrialState.Succeeded, 10, s => 8.0 / s),
    ];

    [Fact]
    public void Median_rule_stops_a_trial_worse_than_the_median_and_keeps_a_good_one()
    {
        var trials = CompletedGood();
        trials.Add(Trial(4, TrialState.Active, 4, s => 50 - s));   // far worse than the others at step 4
        trials.Add(Trial(5, TrialState.Active, 4, s => 9.0 / s));  // better than the median
        var decisions = new MedianStoppingRule().Decide(Config, trials, [4, 5]).ToDictionary(d => d.TrialId);
        Assert.True(decisions[4].ShouldStop, decisions[4].Reason);
        Assert.Contains("median", decisions[4].Reason);
        Assert.False(decisions[5].ShouldStop, decisions[5].Reason);
    }

    [Fact]
    public void Median_rule_waits_for_min_steps_and_min_completed_trials()
    {
        var trials = CompletedGood();
        trials.Add(Trial(4, TrialState.Active, 1, _ => 99));
        Assert.False(new MedianStoppingRule().Decide(Config, trials, [4]).Single().ShouldStop);

        var fewCompleted = new List<Trial> { CompletedGood()[0], Trial(4, TrialState.Active, 5, _ => 99) };
        var decision = new MedianStoppingRule().Decide(Config, fewCompleted, [4]).Single();
        Assert.False(decision.ShouldStop);
        Assert.Contains("needs 2", decision.Reason);
    }

    [Fact]
    public void Median_rule_follows_the_goal_direction()
    {
        var maximize = Config with { Metrics = [MetricConfig.Objective("loss", MetricGoal.Maximize)] };
        var trials = CompletedGood();
        trials.Add(Trial(4, TrialState.Active, 4, s => 50 - s)); // large is good now
        Assert.False(new MedianStoppingRule().Decide(maximize, trials, [4]).Single().ShouldStop);
    }

    [Fact]
    public void Learning_curve_rule_stops_a_hopeless_plateau_and_keeps_a_steep_climber()
    {
        var config = Config with { Stopping = Config.Stopping with { Rule = StoppingRule.LearningCurve } };
        var trials = CompletedGood();                                  // best final loss: 0.8 at step 10
        trials.Add(Trial(4, TrialState.Active, 5, s => 5 + (1.0 / s))); // flat near 5: cannot reach 0.8 by step 10
        trials.Add(Trial(5, TrialState.Active, 5, s => 6 - s));         // falls 1 per step: could reach below 0.8
        var decisions = new LearningCurveStoppingRule().Decide(config, trials, [4, 5]).ToDictionary(d => d.TrialId);
        Assert.True(decisions[4].ShouldStop, decisions[4].Reason);
        Assert.False(decisions[5].ShouldStop, decisions[5].Reason);
    }
}
