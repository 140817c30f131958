using System.Collections.Concurrent;
using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Dashboard.Data;

/// <summary>
/// Reads studies and trials through the grain interfaces. A study's trial list (without completed trials'
/// intermediate measurements, which only the curves and the JSON export read) is kept for up to two seconds, or until
/// a study event says it changed, so that paging through a 100,000-trial table does not fetch the study again for
/// every page.
/// </summary>
internal sealed class StudyReader(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan TrialCacheLifetime = TimeSpan.FromSeconds(2);
    private static readonly TrialFilter Summaries = TrialFilter.All with { IntermediateMeasurements = false };

    private readonly ConcurrentDictionary<string, Task<StudyConfig>> _configs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Read, Task<ImmutableList<Trial>> Trials)> _trials = new(StringComparer.Ordinal);

    /// <summary>The owners that have studies, in ordinal order.</summary>
    public Task<ImmutableList<string>> OwnersAsync() => grains.GetGrain<IOwnerDirectoryGrain>(IOwnerDirectoryGrain.Key).ListAsync();

    /// <summary>
    /// One owner's studies with their trial counts and best values, from the owner's summaries: no study is activated
    /// and no trial read (counts and best values lag the studies by at most their summary interval).
    /// </summary>
    public async Task<ImmutableList<StudySummary>> StudiesAsync(string owner) =>
        (await grains.GetGrain<IOwnerGrain>(owner).ListStudiesAsync(null, 0)).Studies;

    /// <summary>The study grain of a resource name.</summary>
    public IStudyGrain Study(string name) => grains.GetGrain<IStudyGrain>(name);

    /// <summary>Every trial of the study, whole (intermediate measurements included, read from storage), in id order.</summary>
    public Task<ImmutableList<Trial>> WholeTrialsAsync(string studyName) => Study(studyName).ListTrialsAsync(TrialFilter.All);

    /// <summary>
    /// Every trial of the study, in id order, completed ones possibly without intermediate measurements (at most two
    /// seconds old, never older than the last event seen).
    /// </summary>
    public async Task<ImmutableList<Trial>> TrialsAsync(string studyName)
    {
        var now = time.GetUtcNow();
        var entry = _trials.AddOrUpdate(
            studyName,
            _ => (now, Study(studyName).ListTrialsAsync(Summaries)),
            (_, old) => now - old.Read > TrialCacheLifetime || old.Trials.IsFaulted ? (now, Study(studyName).ListTrialsAsync(Summaries)) : old);
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
