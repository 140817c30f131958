using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.State;

/// <summary>
/// One sealed partition block of a study's trials as its study's index holds them: every id of the block, each trial
/// in a final state, copied from the trial rows read after the summary row's ETag (see <see cref="Study.TrialBlocks"/>).
/// </summary>
[GenerateSerializer, Alias("vizier.TrialBlockSummary")]
internal sealed class TrialBlockSummary
{
    /// <summary>The block: trial ids <c>Block * 500 + 1</c> to <c>(Block + 1) * 500</c>.</summary>
    [Id(0)] public long Block { get; set; }

    /// <summary>The block's trials, in id order (completed ones without intermediate measurements when the study's index drops them).</summary>
    [Id(1)] public List<Trial> Trials { get; set; } = [];

    /// <summary>The ids whose intermediate measurements were left out (read from the trial rows when a caller wants them).</summary>
    [Id(2)] public List<long> WithoutMeasurements { get; set; } = [];
}
