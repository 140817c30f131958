using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Tests.Grains.Study;

public sealed class CompletionRepeatTests
{
    private static readonly Trial Succeeded = new()
    {
        StudyName = "owners/o/studies/s",
        Id = 1,
        State = TrialState.Succeeded,
        FinalMeasurement = Measurement.Of("loss", 1),
    };

    private static readonly Trial Infeasible = Succeeded with { State = TrialState.Infeasible, FinalMeasurement = null, InfeasibleReason = "diverged" };

    [Fact]
    public void The_same_result_or_no_final_measurement_repeats_a_success_and_another_result_does_not()
    {
        Assert.True(CompletionRepeat.Matches(Succeeded, Measurement.Of("loss", 1), null));
        Assert.True(CompletionRepeat.Matches(Succeeded, null, null));
        Assert.False(CompletionRepeat.Matches(Succeeded, Measurement.Of("loss", 2), null));
        Assert.False(CompletionRepeat.Matches(Succeeded, null, "diverged"));
    }

    [Fact]
    public void Only_the_same_reason_repeats_an_infeasible_completion()
    {
        Assert.True(CompletionRepeat.Matches(Infeasible, null, "diverged"));
        Assert.False(CompletionRepeat.Matches(Infeasible, null, "out of memory"));
        Assert.False(CompletionRepeat.Matches(Infeasible, Measurement.Of("loss", 1), null));
    }

    [Fact]
    public void A_running_trial_is_never_a_repeat()
    {
        var active = Succeeded with { State = TrialState.Active, FinalMeasurement = null };
        Assert.False(CompletionRepeat.Matches(active, null, null));
        Assert.False(CompletionRepeat.Matches(active, null, "diverged"));
    }
}
