using System.Globalization;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// A study's trial partition blocks (<see cref="VizierPartitionLayout.TrialsPerPartition"/> consecutive ids) and their
/// summary rows. A block is sealed when every one of its ids is stored and in a final state (SUCCEEDED, INFEASIBLE):
/// then no trial can be created in it any more (every id exists), and its trials change only by a metadata update or a
/// delete, each of which invalidates the summary (<see cref="TrialGrain"/>). A summary is written only with the ETag
/// read before the block's rows were read, so a write that missed a change is refused.
/// </summary>
internal static class TrialBlocks
{
    /// <summary>Trials per block.</summary>
    public const int Size = VizierPartitionLayout.TrialsPerPartition;

    /// <summary>The key prefix of a study's block summaries (rows in the study's own partition, read with one range query).</summary>
    public const string KeyPrefix = "trials|";

    /// <summary>The block of trial <paramref name="trialId"/>.</summary>
    public static long Of(long trialId) => (trialId - 1) / Size;

    /// <summary>
    /// The key prefix of the whole copies of compact summaries: the same trials with their intermediate measurements, read
    /// for a page of whole trials (one row instead of the block's 500) and never on activation.
    /// </summary>
    public const string WholeKeyPrefix = "whole|";

    /// <summary>The first trial id of <paramref name="block"/>.</summary>
    public static long FirstId(long block) => (block * Size) + 1;

    /// <summary>The summary key of <paramref name="block"/> (zero-padded, so keys sort as blocks do).</summary>
    public static string Key(long block) => KeyPrefix + block.ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>The key of <paramref name="block"/>'s whole copy.</summary>
    public static string WholeKey(long block) => WholeKeyPrefix + block.ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>The block a summary key names, or null for a key that is not one.</summary>
    public static long? FromKey(string key) =>
        key.StartsWith(KeyPrefix, StringComparison.Ordinal) && long.TryParse(key.AsSpan(KeyPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var block)
            ? block
            : null;

    /// <summary>True when <paramref name="trials"/> (in id order) are exactly the block's ids, all final: the block can be sealed.</summary>
    public static bool Sealable(long block, IReadOnlyList<Trial> trials)
    {
        if (trials.Count != Size)
        {
            return false;
        }

        var first = FirstId(block);
        for (var i = 0; i < trials.Count; i++)
        {
            if (trials[i].Id != first + i || !trials[i].State.IsCompleted())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="summary"/> is a whole summary of <paramref name="block"/> (a malformed one is read as missing).</summary>
    public static bool Valid(long block, TrialBlockSummary? summary) =>
        summary is not null && summary.Block == block && Sealable(block, summary.Trials);

    /// <summary>The summary of a sealable block; <paramref name="compact"/> leaves out completed trials' intermediate measurements.</summary>
    public static TrialBlockSummary Summarize(long block, IReadOnlyList<Trial> trials, bool compact)
    {
        var summary = new TrialBlockSummary { Block = block, Trials = new List<Trial>(trials.Count) };
        foreach (var trial in trials)
        {
            if (compact && trial.State.IsCompleted() && !trial.Measurements.IsEmpty)
            {
                summary.Trials.Add(trial with { Measurements = [] });
                summary.WithoutMeasurements.Add(trial.Id);
            }
            else
            {
                summary.Trials.Add(trial);
            }
        }

        return summary;
    }
}
