using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Tests.Grains.Study;

public sealed class StudyCompletionTests
{
    private static readonly StudyRecord Budget3 = new() { Config = new StudyConfig { MaxTrials = 3, Algorithm = "GRID_SEARCH" } };

    [Fact]
    public void A_study_finishes_when_it_creates_no_new_trial_and_none_is_pending()
    {
        Assert.False(StudyCompletion.IsFinished(Budget3, 2, hasPending: false));
        Assert.False(StudyCompletion.IsFinished(Budget3, 3, hasPending: true));
        Assert.True(StudyCompletion.IsFinished(Budget3, 3, hasPending: false));
        Assert.Equal("the trial budget of 3 trials is used", StudyCompletion.ExhaustionReason(Budget3, 3));

        var exhausted = Budget3 with { PolicyExhausted = true };
        Assert.True(StudyCompletion.IsFinished(exhausted, 1, hasPending: false));
        Assert.Equal("the GRID_SEARCH algorithm has no new points to suggest", StudyCompletion.ExhaustionReason(exhausted, 1));
        Assert.False(StudyCompletion.IsFinished(exhausted with { State = StudyState.Inactive }, 1, hasPending: false));
    }

    [Fact]
    public void The_remaining_budget_never_goes_negative_and_is_unbounded_without_a_budget()
    {
        Assert.Equal(1, StudyCompletion.RemainingBudget(Budget3, 2));
        Assert.Equal(0, StudyCompletion.RemainingBudget(Budget3, 7));
        Assert.Equal(int.MaxValue, StudyCompletion.RemainingBudget(Budget3 with { Config = new StudyConfig() }, 7));
    }
}
