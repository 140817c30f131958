using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Tests.Grains.Study;

public sealed class TrialBlocksTests
{
    private static Trial T(long id, TrialState state = TrialState.Succeeded) =>
        new() { StudyName = "owners/o/studies/s", Id = id, State = state, Measurements = [Measurement.Of("loss", id, steps: 1)] };

    private static List<Trial> Block(long block) => [.. Enumerable.Range(0, TrialBlocks.Size).Select(i => T(TrialBlocks.FirstId(block) + i))];

    [Fact]
    public void Only_a_block_holding_every_one_of_its_ids_in_a_final_state_is_sealable()
    {
        Assert.Equal((0L, 0L, 1L, 501L), (TrialBlocks.Of(1), TrialBlocks.Of(500), TrialBlocks.Of(501), TrialBlocks.FirstId(1)));
        Assert.True(TrialBlocks.Sealable(1, Block(1)));
        Assert.False(TrialBlocks.Sealable(0, Block(1)));

        var gap = Block(0);
        gap.RemoveAt(17);
        Assert.False(TrialBlocks.Sealable(0, gap));

        var infeasible = Block(0);
        infeasible[3] = T(4, TrialState.Infeasible);
        Assert.True(TrialBlocks.Sealable(0, infeasible));
        foreach (var running in new[] { TrialState.Requested, TrialState.Active, TrialState.Stopping })
        {
            var block = Block(0);
            block[499] = T(500, running);
            Assert.False(TrialBlocks.Sealable(0, block));
        }
    }

    [Fact]
    public void A_summary_of_another_block_or_with_a_missing_trial_is_not_valid_and_a_compact_one_names_what_it_left_out()
    {
        var summary = TrialBlocks.Summarize(2, Block(2), compact: true);
        Assert.True(TrialBlocks.Valid(2, summary));
        Assert.False(TrialBlocks.Valid(3, summary));
        Assert.False(TrialBlocks.Valid(2, null));
        Assert.All(summary.Trials, t => Assert.Empty(t.Measurements));
        Assert.Equal(Enumerable.Range(1001, 500).Select(i => (long)i), summary.WithoutMeasurements);

        var whole = TrialBlocks.Summarize(2, Block(2), compact: false);
        Assert.All(whole.Trials, t => Assert.Single(t.Measurements));
        Assert.Empty(whole.WithoutMeasurements);

        var shorter = new TrialBlockSummary { Block = 2, Trials = [.. summary.Trials.Take(499)] };
        Assert.False(TrialBlocks.Valid(2, shorter));
        Assert.Equal(("trials|0000000042", 42L, (long?)null), (TrialBlocks.Key(42), TrialBlocks.FromKey(TrialBlocks.Key(42)), TrialBlocks.FromKey("trials|x")));
    }
}
