namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>The automated early-stopping rule of a study.</summary>
public enum StoppingRule
{
    /// <summary>No automated stopping; only explicit stop requests.</summary>
    None = 0,

    /// <summary>Stop a trial whose best value so far is worse than the median of completed trials' running averages at the same step.</summary>
    Median = 1,

    /// <summary>Stop a trial whose extrapolated learning curve cannot beat the current best.</summary>
    LearningCurve = 2,
}
