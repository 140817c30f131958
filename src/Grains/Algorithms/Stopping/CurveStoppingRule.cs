using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms.Stopping;

/// <summary>
/// What every learning-curve rule does alike: judge single-objective studies only, leave trials that are not ACTIVE
/// alone, and read each trial's curve of the objective (oriented: larger is better). A rule prepares what it needs from
/// the study once per call, then judges each running trial's curve.
/// </summary>
/// <typeparam name="TPrepared">What the rule derives from the completed trials.</typeparam>
internal abstract class CurveStoppingRule<TPrepared> : IStoppingPolicy
{
    /// <summary>The rule's name in decisions' reasons.</summary>
    protected abstract string RuleName { get; }

    /// <inheritdoc />
    public IReadOnlyList<StopDecision> Decide(StudyConfig config, IReadOnlyList<Trial> trials, IReadOnlyList<long> trialIds)
    {
        if (LearningCurves.Objective(config) is not { } objective)
        {
            return [.. trialIds.Select(id => LearningCurves.Keep(id, $"the {RuleName} judges single-objective studies only"))];
        }

        var prepared = Prepare(trials, objective);
        var byId = trials.ToDictionary(t => t.Id);
        return [.. trialIds.Select(id => byId.GetValueOrDefault(id) is { State: TrialState.Active } trial
            ? Judge(id, LearningCurves.Curve(objective, trial), prepared, config.Stopping, objective)
            : LearningCurves.Keep(id, "the trial is not running"))];
    }

    /// <summary>Derives what the rule needs from the study's trials.</summary>
    protected abstract TPrepared Prepare(IReadOnlyList<Trial> trials, MetricConfig objective);

    /// <summary>Judges one running trial by its curve, sorted by step.</summary>
    protected abstract StopDecision Judge(long id, List<(long Step, double Value)> curve, TPrepared prepared, StoppingConfig stopping, MetricConfig objective);
}
