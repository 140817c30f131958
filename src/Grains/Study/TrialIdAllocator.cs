using VizierOrleans.Grains.State;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Hands out trial ids: consecutive, increasing, never reused. Ids are reserved in blocks written to the study record
/// before any trial of the block exists, so the record is written once per block, a crash can skip ids but never
/// hands one out twice, and a reactivation probes trial grains up to the reserved id.
/// </summary>
/// <param name="block">Ids reserved per record write: larger means fewer writes and more trial grains to probe on activation.</param>
internal sealed class TrialIdAllocator(int block = TrialIdAllocator.DefaultBlock)
{
    /// <summary>The default reservation block.</summary>
    public const int DefaultBlock = 100;

    /// <summary>The id the next trial gets.</summary>
    public long Next { get; private set; } = 1;

    /// <summary>The ids a reactivated study must probe for trials: 1 up to (excluding) this.</summary>
    public static long ProbeLimit(StudyRecord record) => Math.Max(record.NextTrialId, record.ReservedTrialIdsUpTo);

    /// <summary>After activation: one above the highest stored trial, and never below the record's floor.</summary>
    public void Restore(StudyRecord record, long highestStoredId) => Next = Math.Max(record.NextTrialId, highestStoredId + 1);

    /// <summary>Starts again at 1 (a study created anew after its delete).</summary>
    public void Reset() => Next = 1;

    /// <summary>
    /// The record to write before <paramref name="count"/> ids starting at <see cref="Next"/> may be used, or
    /// <paramref name="record"/> itself when its reservation already covers them.
    /// </summary>
    public StudyRecord Reserve(StudyRecord record, int count) =>
        Next + count <= record.ReservedTrialIdsUpTo
            ? record
            : record with { NextTrialId = Next, ReservedTrialIdsUpTo = Math.Max(record.ReservedTrialIdsUpTo, Next + count + block) };

    /// <summary>Takes <paramref name="count"/> ids (after the reservation was written); returns the first.</summary>
    public long Take(int count)
    {
        var first = Next;
        Next += count;
        return first;
    }

    /// <summary>The record that pins <see cref="Next"/> as the floor, written before trials are deleted so their ids never return.</summary>
    public StudyRecord Pin(StudyRecord record) => record.NextTrialId >= Next ? record : record with { NextTrialId = Next };
}
