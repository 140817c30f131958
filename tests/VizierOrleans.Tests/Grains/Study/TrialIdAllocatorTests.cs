using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Tests.Grains.Study;

public sealed class TrialIdAllocatorTests
{
    private static readonly StudyRecord Fresh = new() { Config = new StudyConfig() };

    [Fact]
    public void Ids_are_reserved_in_blocks_and_the_record_is_written_only_when_a_block_runs_out()
    {
        var ids = new TrialIdAllocator(block: 10);
        var reserved = ids.Reserve(Fresh, 3);
        Assert.Equal(14, reserved.ReservedTrialIdsUpTo);
        Assert.Equal(1, ids.Take(3));
        Assert.Same(reserved, ids.Reserve(reserved, 10));
        Assert.Equal(4, ids.Take(10));
        Assert.Equal(14, ids.Next);
        var next = ids.Reserve(reserved, 1);
        Assert.Equal((14L, 25L), (next.NextTrialId, next.ReservedTrialIdsUpTo));
    }

    [Fact]
    public void A_reactivated_study_probes_up_to_the_reservation_and_never_goes_below_the_pinned_floor()
    {
        var record = Fresh with { NextTrialId = 8, ReservedTrialIdsUpTo = 105 };
        Assert.Equal(105, TrialIdAllocator.ProbeLimit(record));
        var ids = new TrialIdAllocator();
        ids.Restore(record, highestStoredId: 5);
        Assert.Equal(8, ids.Next);
        ids.Restore(record, highestStoredId: 40);
        Assert.Equal(41, ids.Next);

        Assert.Equal(41, ids.Pin(record).NextTrialId);
        var pinned = record with { NextTrialId = 41 };
        Assert.Same(pinned, ids.Pin(pinned));
    }
}
