using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms.Stopping;

/// <summary>
/// Stops a running trial whose learning curve, extrapolated optimistically to the last step completed trials reached,
/// cannot beat the best completed trial. The extrapolation continues the trial's recent rate of improvement (the slope
/// over the last half of its curve, never negative) as if it did not slow down; real curves saturate, so this
/// over-estimates the trial and errs towards letting it run.
/// </summary>
internal sealed class LearningCurveStoppingRule : CurveStoppingRule<List<Trial>>
{
    /// <inheritdoc />
    protected override string RuleName => "learning-curve rule";

    /// <inheritdoc />
    protected override List<Trial> Prepare(IReadOnlyList<Trial> trials, MetricConfig objective) =>
        [.. trials.Where(t => t.State == TrialState.Succeeded && t.FinalMeasurement?.Metrics.ContainsKey(objective.Name) == true)];

    /// <inheritdoc />
    protected override StopDecision Judge(long id, List<(long Step, double Value)> curve, List<Trial> completed, StoppingConfig stopping, MetricConfig objective)
    {
        if (curve.Count < 3 || curve[^1].Step < stopping.MinSteps)
        {
            return LearningCurves.Keep(id, "too few steps to extrapolate");
        }

        if (completed.Count < Math.Max(1, stopping.MinCompletedTrials))
        {
            return LearningCurves.Keep(id, $"{completed.Count} completed trials; the rule needs {stopping.MinCompletedTrials}");
        }

        var horizon = completed.Select(t => t.FinalMeasurement!.Steps).Append(completed.SelectMany(t => t.Measurements).Select(m => m.Steps).DefaultIfEmpty(0).Max()).Max();
        var bestCompleted = completed.Max(t => Objectives.Oriented(objective, t.FinalMeasurement!.Metrics[objective.Name]));
        var recent = curve.Skip(curve.Count / 2).ToList();
        var slope = Math.Max(0, Slope(recent));
        var step = curve[^1].Step;
        var optimistic = curve.Max(p => p.Value) + (slope * Math.Max(0, horizon - step));
        return optimistic < bestCompleted
            ? new StopDecision(id, true, $"extrapolated {objective.Name} at step {horizon} cannot beat the best completed trial")
            : LearningCurves.Keep(id, "the extrapolated curve may still beat the best completed trial");
    }

    /// <summary>Least-squares slope of value against step.</summary>
    private static double Slope(List<(long Step, double Value)> points)
    {
        var meanX = points.Average(p => (double)p.Step);
        var meanY = points.Average(p => p.Value);
        var sxx = points.Sum(p => (p.Step - meanX) * (p.Step - meanX));
        return sxx == 0 ? 0 : points.Sum(p => (p.Step - meanX) * (p.Value - meanY)) / sxx;
    }
}
