using System.Collections.Concurrent;
using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Dashboard.Data;

/// <summary>
/// Reads studies and trials through the grain interfaces. A study's trial list is kept for up to two seconds, or
/// until a study event says it changed, so that paging through a 100,000-trial table does not fetch the study again
/// for every page.
/// </summary>
internal sealed class StudyReader(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan TrialCacheLifetime = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Task<StudyConfig>> _configs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Read, Task<ImmutableList<Trial>> Trials)> _trials = new(StringComparer.Ordinal);

    /// <summary>The owners that have studies, in ordinal order.</summary>
    public Task<ImmutableList<string>> OwnersAsync() => grains.GetGrain<IOwnerDirectoryGrain>(IOwnerDirectoryGrain.Key).ListAsync();

    /// <summary>One owner's studies.</summary>
    public Task<ImmutableList<StudyInfo>> StudiesAsync(string owner) => grains.GetGrain<IOwnerGrain>(owner).ListStudiesAsync();

    /// <summary>The study grain of a resource name.</summary>
    public IStudyGrain Study(string name) => grains.GetGrain<IStudyGrain>(name);

    /// <summary>Every trial of the study, in id order (at most two seconds old, never older than the last event seen).</summary>
    public async Task<ImmutableList<Trial>> TrialsAsync(string studyName)
    {
        var now = time.GetUtcNow();
        var entry = _trials.AddOrUpdate(
            studyName,
            _ => (now, Study(studyName).ListTrialsAsync(TrialFilter.All)),
            (_, old) => now - old.Read > TrialCacheLifetime || old.Trials.IsFaulted ? (now, Study(studyName).ListTrialsAsync(TrialFilter.All)) : old);
        try
        {
            return await entry.Trials;
        }
        catch
        {
            _trials.TryRemove(KeyValuePair.Create(studyName, entry));
            throw;
        }
    }

    /// <summary>A study's config (it never changes, so it is kept until the study is deleted).</summary>
    public async Task<StudyConfig> ConfigAsync(string studyName)
    {
        // An async lambda, not ContinueWith(t => t.Result): that would wrap a missing study's NotFoundException in an
        // AggregateException, which the API then answers with a 500 instead of a 404.
        var read = _configs.GetOrAdd(studyName, async name => (await Study(name).GetAsync()).Config);
        try
        {
            return await read;
        }
        catch
        {
            _configs.TryRemove(KeyValuePair.Create(studyName, read));
            throw;
        }
    }

    /// <summary>Forgets the cached trials of a study (it changed), and its config when it was deleted.</summary>
    public void Invalidate(string studyName, bool deleted = false)
    {
        _trials.TryRemove(studyName, out _);
        if (deleted)
        {
            _configs.TryRemove(studyName, out _);
        }
    }
}
