using MathNet.Numerics.Statistics;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms.Stopping;

/// <summary>
/// The median stopping rule (Golovin et al., 2017): a running trial stops when its best value so far at step s is
/// worse than the median, over completed trials, of their running averages up to step s. No decision before the trial
/// reached <see cref="StoppingConfig.MinSteps"/> or before <see cref="StoppingConfig.MinCompletedTrials"/> completed
/// trials have measurements up to s. Studies with several objectives are not judged.
/// </summary>
internal sealed class MedianStoppingRule : CurveStoppingRule<List<List<(long Step, double Value)>>>
{
    /// <inheritdoc />
    protected override string RuleName => "median rule";

    /// <inheritdoc />
    protected override List<List<(long Step, double Value)>> Prepare(IReadOnlyList<Trial> trials, MetricConfig objective) =>
        [.. trials.Where(t => t.State == TrialState.Succeeded).Select(t => LearningCurves.Curve(objective, t)).Where(c => c.Count > 0)];

    /// <inheritdoc />
    protected override StopDecision Judge(long id, List<(long Step, double Value)> curve, List<List<(long Step, double Value)>> completed, StoppingConfig stopping, MetricConfig objective)
    {
        if (curve.Count == 0 || curve[^1].Step < stopping.MinSteps)
        {
            return LearningCurves.Keep(id, $"fewer than {stopping.MinSteps} steps reported");
        }

        var step = curve[^1].Step;
        var averages = completed
            .Select(c => c.Where(p => p.Step <= step).Select(p => p.Value).ToList())
            .Where(v => v.Count > 0)
            .Select(v => v.Average())
            .ToList();
        if (averages.Count < Math.Max(1, stopping.MinCompletedTrials))
        {
            return LearningCurves.Keep(id, $"{averages.Count} completed trials reached step {step}; the rule needs {stopping.MinCompletedTrials}");
        }

        var best = curve.Max(p => p.Value);
        return best < averages.Median()
            ? new StopDecision(id, true, $"best {objective.Name} so far is worse than the median of completed trials' running averages at step {step}")
            : LearningCurves.Keep(id, $"at or better than the median at step {step}");
    }
}
