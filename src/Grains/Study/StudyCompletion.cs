using VizierOrleans.Grains.State;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// When a study is finished: it will create no new trial (its trial budget is used, or its policy said it is
/// exhausted) and none is pending. Pure rules over the record and the trial counts, so the grain asks them only
/// where no batch is half-applied.
/// </summary>
internal static class StudyCompletion
{
    /// <summary>How many more trials the budget allows (int.MaxValue without a budget).</summary>
    public static int RemainingBudget(StudyRecord record, int trialCount) =>
        record.Config.MaxTrials is int max ? Math.Max(0, max - trialCount) : int.MaxValue;

    /// <summary>True when the study will create no new trial.</summary>
    public static bool NoMoreNewTrials(StudyRecord record, int trialCount) =>
        record.PolicyExhausted || RemainingBudget(record, trialCount) == 0;

    /// <summary>True when an ACTIVE study should now become COMPLETED.</summary>
    public static bool IsFinished(StudyRecord record, int trialCount, bool hasPending) =>
        record.State == Interfaces.Model.StudyState.Active && NoMoreNewTrials(record, trialCount) && !hasPending;

    /// <summary>Why the study hands out fewer trials than asked (or why it completed).</summary>
    public static string ExhaustionReason(StudyRecord record, int trialCount) =>
        record.PolicyExhausted ? $"the {record.Config.Algorithm} algorithm has no new points to suggest"
        : RemainingBudget(record, trialCount) == 0 ? $"the trial budget of {record.Config.MaxTrials} trials is used"
        : $"the {record.Config.Algorithm} algorithm suggested fewer points than asked";
}
