using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains;

/// <summary>
/// A study's trials in id order, with the lookups suggest needs kept as indexes, so that serving a worker costs the
/// same with 100 trials as with 10,000. <see cref="All"/> is an immutable snapshot that policies read without copying.
/// </summary>
/// <remarks>
/// When <paramref name="compact"/> says so (no policy of the study reads curves), a completed trial is held without
/// its intermediate measurements (they are most of a trial's size) and with the study name shared:
/// <see cref="IsCompacted"/> tells readers which trials to read whole from storage before handing them out.
/// </remarks>
internal sealed class TrialIndex(Func<bool>? compact = null)
{
    private readonly TrialIdSet _compacted = new();
    private string? _studyName;
    private readonly SortedSet<long> _requested = [];
    private readonly SortedSet<long> _running = [];
    private readonly Dictionary<string, SortedSet<long>> _activeByClient = new(StringComparer.Ordinal);
    private readonly TrialIdSlots _positions = new();
    private readonly Dictionary<string, long> _requestKeys = new(StringComparer.Ordinal);

    /// <summary>The trial metadata namespace and key that hold a create-trial call's request key.</summary>
    public const string RequestKeyNamespace = "vizier.request";

    /// <summary>The metadata key of the request key.</summary>
    public const string RequestKeyKey = "key";

    /// <summary>Every trial, in id order.</summary>
    public ImmutableList<Trial> All { get; private set; } = [];

    /// <summary>How many trials the study holds.</summary>
    public int Count => All.Count;

    /// <summary>True while some trial is REQUESTED, ACTIVE or STOPPING.</summary>
    public bool HasPending => _requested.Count > 0 || _running.Count > 0;

    /// <summary>Ids of the REQUESTED trials, oldest first.</summary>
    public IEnumerable<long> RequestedIds => _requested;

    /// <summary>Ids of the ACTIVE and STOPPING trials.</summary>
    public IEnumerable<long> RunningIds => _running;

    /// <summary>True when the index holds trial <paramref name="id"/> without its intermediate measurements.</summary>
    public bool IsCompacted(long id) => _compacted.Contains(id);

    /// <summary>Replaces the content (on activation); <paramref name="withoutMeasurements"/> names trials read without their intermediate measurements.</summary>
    public void Load(IEnumerable<Trial> trials, IReadOnlySet<long>? withoutMeasurements = null)
    {
        Clear();

        // Built at once (a balanced tree from the ordered list), not trial by trial; the trials come as the index holds
        // them (compacted by the reader), one per id.
        All = ImmutableList.CreateRange(trials.OrderBy(t => t.Id));
        var i = 0;
        foreach (var t in All)
        {
            _positions.Set(t.Id, i++);
            Index(t);
            if (withoutMeasurements?.Contains(t.Id) == true)
            {
                _compacted.Add(t.Id);
            }
        }
    }

    /// <summary>Empties the index.</summary>
    public void Clear()
    {
        All = [];
        _requested.Clear();
        _running.Clear();
        _activeByClient.Clear();
        _positions.Clear();
        _requestKeys.Clear();
        _compacted.Clear();
    }

    /// <summary>The trial created by the create-trial call with this request key, if the study holds it.</summary>
    public Trial? TryFindByRequestKey(string requestKey) =>
        _requestKeys.TryGetValue(requestKey, out var id) ? TryFind(id) : null;

    /// <summary>The trial with this id, if the study holds it.</summary>
    public Trial? TryFind(long id) => Position(id) is int i and >= 0 ? All[i] : null;

    /// <summary>The trials with an id above <paramref name="afterId"/>, in id order (a page starts without a scan).</summary>
    public IEnumerable<Trial> After(long afterId)
    {
        if (afterId == long.MaxValue)
        {
            yield break;
        }

        var all = All;
        var start = Position(afterId + 1);
        for (var i = start >= 0 ? start : ~start; i < all.Count; i++)
        {
            yield return all[i];
        }
    }

    /// <summary>The caller's ACTIVE trials, oldest first.</summary>
    public IEnumerable<Trial> ActiveOf(string clientId) =>
        _activeByClient.TryGetValue(clientId, out var ids) ? ids.Select(id => TryFind(id)!) : [];

    /// <summary>Adds or updates a trial, unless the index already holds a newer copy of it; returns <paramref name="trial"/> as given.</summary>
    public Trial Remember(Trial trial)
    {
        var given = trial;
        var index = Position(trial.Id);
        if (index >= 0 && All[index].Version > trial.Version)
        {
            return given;
        }

        trial = Compacted(trial);
        if (index >= 0)
        {
            var old = All[index];
            Unindex(old);
            All = All.SetItem(index, trial);
        }
        else if (All.Count == 0 || All[^1].Id < trial.Id)
        {
            // New trials almost always get the highest id: appending keeps the positions of the others.
            _positions.Set(trial.Id, All.Count);
            All = All.Add(trial);
        }
        else
        {
            All = All.Insert(~index, trial);
            RebuildPositions();
        }

        Index(trial);
        return given;
    }

    /// <summary>Removes a trial.</summary>
    public void Remove(long id)
    {
        var index = Position(id);
        if (index >= 0)
        {
            Unindex(All[index]);
            _compacted.Remove(id);
            All = All.RemoveAt(index);
            RebuildPositions();
        }
    }

    private Trial Compacted(Trial trial)
    {
        if (compact is null || !trial.State.IsCompleted() || trial.Measurements.IsEmpty || !compact())
        {
            _compacted.Remove(trial.Id);
            return trial;
        }

        _compacted.Add(trial.Id);
        _studyName ??= trial.StudyName;
        return trial with { Measurements = [], StudyName = trial.StudyName == _studyName ? _studyName : trial.StudyName };
    }

    private int Position(long id)
    {
        if (_positions.TryGetValue(id, out var i))
        {
            return i;
        }

        // Where a missing id would go, for inserts: the first position with a larger id.
        int lo = 0, hi = All.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (All[mid].Id < id)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return ~lo;
    }

    private void RebuildPositions()
    {
        _positions.Clear();
        var i = 0;
        foreach (var t in All)
        {
            _positions.Set(t.Id, i++);
        }
    }

    private void Index(Trial t)
    {
        if (t.Metadata.Get(RequestKeyNamespace, RequestKeyKey) is { } requestKey)
        {
            _requestKeys[requestKey] = t.Id;
        }

        switch (t.State)
        {
            case TrialState.Requested:
                _requested.Add(t.Id);
                break;
            case TrialState.Active:
                _running.Add(t.Id);
                if (t.ClientId is { } client)
                {
                    if (!_activeByClient.TryGetValue(client, out var ids))
                    {
                        _activeByClient[client] = ids = [];
                    }

                    ids.Add(t.Id);
                }

                break;
            case TrialState.Stopping:
                _running.Add(t.Id);
                break;
        }
    }

    private void Unindex(Trial t)
    {
        if (t.Metadata.Get(RequestKeyNamespace, RequestKeyKey) is { } requestKey)
        {
            _requestKeys.Remove(requestKey);
        }

        _requested.Remove(t.Id);
        _running.Remove(t.Id);
        if (t.ClientId is { } client && _activeByClient.TryGetValue(client, out var ids))
        {
            ids.Remove(t.Id);
            if (ids.Count == 0)
            {
                _activeByClient.Remove(client);
            }
        }
    }
}
