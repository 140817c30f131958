using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using VizierOrleans.Grains.State;

namespace VizierOrleans.Grains.Owner;

/// <summary>
/// An owner's study entries in memory, each assigned to a page of bounded JSON size, and which pages need writing. An
/// entry stays on its page while it fits; one that outgrows it, and every new one, goes to the first page with room
/// (or a new page). Pages are never merged: room freed by a delete is reused. A study found on two pages (a move whose
/// second write did not happen) keeps its higher version; the other page drops it on its next write.
/// </summary>
internal sealed class OwnerPages(int pageBudget)
{
    // Close to the storage's JSON (enum names, nulls left out), so sizes measured here are what a page row holds.
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    // Per entry in a page's JSON beyond its value: the quoted key, colon and comma.
    private const int EntryOverhead = 8;

    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly List<Page> _pages = [];
    private readonly SortedSet<string> _listed = new(StringComparer.Ordinal);

    /// <summary>How many pages there are (written or to be written).</summary>
    public int Count => _pages.Count;

    /// <summary>Ids of the listed studies, in ordinal order.</summary>
    public SortedSet<string> Listed => _listed;

    /// <summary>True when some study exists or is being created.</summary>
    public bool AnyStudy => _slots.Values.Any(s => s.Entry.Summary is not null);

    /// <summary>Every entry, with its study id.</summary>
    public IEnumerable<KeyValuePair<string, OwnerEntry>> Entries => _slots.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Entry));

    /// <summary>The entry of a study, if any.</summary>
    public OwnerEntry? Find(string studyId) => _slots.TryGetValue(studyId, out var slot) ? slot.Entry : null;

    /// <summary>Adds a page read from storage (pages are added in order, from 0).</summary>
    public void Load(OwnerPageRecord? record, string? etag)
    {
        var number = _pages.Count;
        _pages.Add(new Page { ETag = etag });
        foreach (var (id, entry) in record?.Studies ?? [])
        {
            if (_slots.TryGetValue(id, out var other))
            {
                if (other.Entry.Version >= entry.Version)
                {
                    // The older copy goes when this page is next written.
                    _pages[number].Dirty = true;
                    continue;
                }

                _pages[other.Page].Dirty = true;
                Detach(id, other);
            }

            Attach(id, entry, number, Measure(id, entry));
        }
    }

    /// <summary>
    /// Sets a study's entry, or only its version when the content is what the page already holds (no write needed);
    /// returns true when a page must be written. <paramref name="now"/> drops removals older than <paramref name="removalLifetime"/>
    /// from the page written.
    /// </summary>
    public bool Put(string studyId, OwnerEntry entry, DateTimeOffset now, TimeSpan removalLifetime)
    {
        var bytes = Measure(studyId, entry, out var content);
        if (_slots.TryGetValue(studyId, out var current))
        {
            if (current.Content.AsSpan().SequenceEqual(content))
            {
                _slots[studyId] = current with { Entry = entry };
                return false;
            }

            Detach(studyId, current);
            var page = _pages[current.Page];
            page.Dirty = true;
            if (page.Bytes + bytes <= pageBudget || page.Bytes == 0)
            {
                Attach(studyId, entry, current.Page, bytes, content);
                DropOldRemovals(current.Page, now, removalLifetime);
                return true;
            }
        }

        var target = _pages.FindIndex(p => p.Bytes + bytes <= pageBudget);
        if (target < 0)
        {
            // Also for an entry larger than the budget: it gets a page of its own.
            target = _pages.FindIndex(p => p.Bytes == 0);
        }

        if (target < 0)
        {
            _pages.Add(new Page());
            target = _pages.Count - 1;
        }

        _pages[target].Dirty = true;
        Attach(studyId, entry, target, bytes, content);
        DropOldRemovals(target, now, removalLifetime);
        return true;
    }

    /// <summary>The pages to write, each as the record to store and its ETag; they count as clean from here.</summary>
    public List<(int Number, OwnerPageRecord Record, string? ETag)> TakeDirty()
    {
        var dirty = new List<(int, OwnerPageRecord, string?)>();
        for (var i = 0; i < _pages.Count; i++)
        {
            if (!_pages[i].Dirty)
            {
                continue;
            }

            _pages[i].Dirty = false;
            var record = new OwnerPageRecord();
            foreach (var (id, slot) in _slots.Where(kv => kv.Value.Page == i))
            {
                record.Studies[id] = slot.Entry;
            }

            dirty.Add((i, record, _pages[i].ETag));
        }

        return dirty;
    }

    /// <summary>A page write succeeded: it holds <paramref name="etag"/> now.</summary>
    public void Written(int number, string? etag) => _pages[number].ETag = etag;

    /// <summary>A page write failed: it is written again with the next flush.</summary>
    public void Unwritten(int number) => _pages[number].Dirty = true;

    /// <summary>The JSON size of each page, as it will be stored.</summary>
    public IReadOnlyList<long> PageBytes => [.. _pages.Select(p => p.Bytes)];

    private void DropOldRemovals(int page, DateTimeOffset now, TimeSpan lifetime)
    {
        foreach (var (id, slot) in _slots.Where(kv => kv.Value.Page == page && kv.Value.Entry.Summary is null && now - kv.Value.Entry.Received > lifetime).ToList())
        {
            Detach(id, slot);
        }
    }

    private void Attach(string id, OwnerEntry entry, int page, int bytes, byte[]? content = null)
    {
        content ??= ContentHash(entry);
        _slots[id] = new Slot(entry, page, bytes, content);
        _pages[page].Bytes += bytes;
        if (entry.Listed)
        {
            _listed.Add(id);
        }
        else
        {
            _listed.Remove(id);
        }
    }

    private void Detach(string id, Slot slot)
    {
        _slots.Remove(id);
        _pages[slot.Page].Bytes -= slot.Bytes;
        _listed.Remove(id);
    }

    private static int Measure(string id, OwnerEntry entry) => Measure(id, entry, out _);

    private static int Measure(string id, OwnerEntry entry, out byte[] content)
    {
        content = ContentHash(entry);
        return JsonSerializer.SerializeToUtf8Bytes(entry, Json).Length + System.Text.Encoding.UTF8.GetByteCount(id) + EntryOverhead;
    }

    // What the entry says, without its version and times: the same content needs no write.
    private static byte[] ContentHash(OwnerEntry entry) =>
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(
            entry with { Version = 0, Received = default, Summary = entry.Summary is { } s ? s with { UpdateTime = default } : null }, Json));

    private sealed record Slot(OwnerEntry Entry, int Page, int Bytes, byte[] Content);

    private sealed class Page
    {
        public long Bytes { get; set; }

        public string? ETag { get; set; }

        public bool Dirty { get; set; }
    }
}
