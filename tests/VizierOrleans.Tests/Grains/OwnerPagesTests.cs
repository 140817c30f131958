using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Owner;
using VizierOrleans.Grains.State;

namespace VizierOrleans.Tests.Grains;

public sealed class OwnerPagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static OwnerEntry Entry(string studyId, long version, int metadataChars = 0, bool removed = false, DateTimeOffset? received = null) => new()
    {
        Version = version,
        Received = received ?? Now,
        Summary = removed ? null : new StudySummary
        {
            Study = new StudyInfo
            {
                Name = ResourceNames.Study("o", studyId),
                Config = TestConfigs.TwoFloats(),
                Metadata = Metadata.Empty.With("", "pad", new string('x', metadataChars)),
            },
        },
    };

    [Fact]
    public void Entries_fill_a_page_up_to_its_budget_and_then_open_the_next()
    {
        var pages = new OwnerPages(8 * 1024);
        for (var i = 0; i < 12; i++)
        {
            Assert.True(pages.Put($"s{i:D2}", Entry($"s{i:D2}", 1, metadataChars: 1500), Now, TimeSpan.FromMinutes(10)));
        }

        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        Assert.All(pages.PageBytes, bytes => Assert.InRange(bytes, 1, 8 * 1024));
        var written = pages.TakeDirty();
        Assert.Equal(pages.Count, written.Count);
        Assert.Equal(12, written.Sum(p => p.Record.Studies.Count));
        Assert.Empty(pages.TakeDirty());
    }

    [Fact]
    public void The_same_content_under_a_new_version_needs_no_write_and_a_grown_entry_moves_to_a_page_with_room()
    {
        var pages = new OwnerPages(16 * 1024);
        pages.Put("a", Entry("a", 1, metadataChars: 3000), Now, TimeSpan.FromMinutes(10));
        pages.Put("b", Entry("b", 1, metadataChars: 3000), Now, TimeSpan.FromMinutes(10));
        Assert.Equal(["a", "b"], pages.TakeDirty().Single().Record.Studies.Keys.Order());

        Assert.False(pages.Put("a", Entry("a", 2, metadataChars: 3000) with { Received = Now.AddSeconds(5) }, Now, TimeSpan.FromMinutes(10)));
        Assert.Equal(2, pages.Find("a")!.Version);
        Assert.Empty(pages.TakeDirty());

        Assert.True(pages.Put("a", Entry("a", 3, metadataChars: 8000), Now, TimeSpan.FromMinutes(10)));
        var written = pages.TakeDirty();
        Assert.Equal([0, 1], written.Select(p => p.Number));
        Assert.Equal(["b"], written[0].Record.Studies.Keys);
        Assert.Equal(["a"], written[1].Record.Studies.Keys);
    }

    [Fact]
    public void A_study_found_on_two_pages_keeps_its_higher_version_and_the_other_page_drops_it()
    {
        var pages = new OwnerPages(64 * 1024);
        var older = new OwnerPageRecord { Studies = { ["a"] = Entry("a", 5), ["b"] = Entry("b", 1) } };
        var newer = new OwnerPageRecord { Studies = { ["a"] = Entry("a", 7) with { Provisional = true } } };
        pages.Load(older, "e0");
        pages.Load(newer, "e1");

        Assert.Equal(7, pages.Find("a")!.Version);
        Assert.Equal(["b"], pages.Listed);
        var written = pages.TakeDirty();
        Assert.Equal((0, "e0"), (written.Single().Number, written.Single().ETag));
        Assert.Equal(["b"], written.Single().Record.Studies.Keys);
    }

    [Fact]
    public void A_removal_is_kept_for_its_lifetime_and_then_dropped_with_the_next_write_of_its_page()
    {
        var pages = new OwnerPages(64 * 1024);
        pages.Put("gone", Entry("gone", 1), Now, TimeSpan.FromMinutes(10));
        pages.Put("gone", Entry("gone", 2, removed: true), Now, TimeSpan.FromMinutes(10));
        Assert.Empty(pages.Listed);
        Assert.False(pages.AnyStudy);
        Assert.Equal(2, pages.Find("gone")!.Version);

        pages.Put("other", Entry("other", 1), Now.AddMinutes(11), TimeSpan.FromMinutes(10));
        Assert.Null(pages.Find("gone"));
        Assert.Equal(["other"], pages.TakeDirty().Single().Record.Studies.Keys);
    }
}
