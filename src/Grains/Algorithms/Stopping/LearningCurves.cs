using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms.Stopping;

/// <summary>Reads a trial's learning curve: (step, value) of the study's first objective, oriented so larger is better.</summary>
internal static class LearningCurves
{
    public static MetricConfig? Objective(StudyConfig config) => config.Objectives.Count() == 1 ? config.Objectives.First() : null;

    public static List<(long Step, double Value)> Curve(MetricConfig objective, Trial trial) =>
        [.. trial.Measurements
            .Where(m => m.Metrics.ContainsKey(objective.Name))
            .Select(m => (m.Steps, Objectives.Oriented(objective, m.Metrics[objective.Name])))
            .OrderBy(p => p.Steps)];

    public static StopDecision Keep(long id, string reason) => new(id, false, reason);
}
