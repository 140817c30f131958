using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Whether a completion call repeats the one that already completed a trial (a client retried after its call timed
/// out): the same outcome, so the stored trial is the answer, even when the study has finished meanwhile.
/// </summary>
internal static class CompletionRepeat
{
    /// <summary>True when <paramref name="trial"/> is completed with the outcome the call asks for.</summary>
    public static bool Matches(Trial trial, Measurement? finalMeasurement, string? infeasibleReason) =>
        infeasibleReason is not null
            ? trial.State == TrialState.Infeasible && trial.InfeasibleReason == infeasibleReason
            : trial.State == TrialState.Succeeded && (finalMeasurement is null || finalMeasurement.Equals(trial.FinalMeasurement));
}
