using Orleans.Storage;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// The study's calls to its trial grains that fan out: creating and deleting many trials, each reporting what storage
/// holds afterwards even when some calls fail, so the study's index never disagrees with storage. (Loading reads
/// storage directly: <see cref="StudyTrialReader"/>.)
/// </summary>
internal sealed class StudyTrialGrains(IGrainFactory grains, string studyName)
{
    // At most this many trial-grain calls at a time, continuations on the study grain's scheduler.
    private const int Parallelism = 64;

    private static ParallelOptions OnThisGrain => new() { MaxDegreeOfParallelism = Parallelism, TaskScheduler = TaskScheduler.Current };

    /// <summary>The grain of trial <paramref name="id"/>.</summary>
    public ITrialGrain Grain(long id) => grains.GetGrain<ITrialGrain>(ResourceNames.Trial(studyName, id));

    /// <summary>
    /// Stores <paramref name="trials"/>, created by the study activation <paramref name="creator"/>, in parallel.
    /// Returns the ones storage holds as this activation's (a failed call is read back: a write can succeed after its
    /// caller gave up) and the failure of the first one it does not hold, if any. An id another activation holds is
    /// never counted as stored; its failure, an <see cref="InconsistentStateException"/>, is the one returned.
    /// </summary>
    public async Task<(List<Trial> Stored, Exception? Failure)> CreateAsync(IReadOnlyList<Trial> trials, Guid creator)
    {
        var outcomes = await Task.WhenAll(trials.Select(async t =>
        {
            try
            {
                return (Trial: await Grain(t.Id).CreateAsync(t, creator), Failure: (Exception?)null);
            }
            catch (InconsistentStateException e)
            {
                return (Trial: (Trial?)null, Failure: (Exception?)e);
            }
            catch (Exception e)
            {
                return (Trial: await ReadBackAsync(t.Id, creator), Failure: e);
            }
        }));
        var failures = outcomes.Where(o => o.Trial is null).Select(o => o.Failure!).ToList();
        return ([.. outcomes.Select(o => o.Trial).OfType<Trial>()], failures.OfType<InconsistentStateException>().FirstOrDefault() ?? failures.FirstOrDefault());
    }

    /// <summary>Deletes the trials of a study being deleted (its block summaries are invalidated already); <paramref name="deleted"/> hears of each one that is gone. Returns the first failure, if any.</summary>
    public async Task<Exception?> DeleteAsync(IEnumerable<long> ids, Action<long> deleted)
    {
        Exception? failure = null;
        await Parallel.ForEachAsync(ids, OnThisGrain, async (id, _) =>
        {
            try
            {
                await Grain(id).DeleteWithStudyAsync();
                deleted(id);
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        });
        return failure;
    }

    private async Task<Trial?> ReadBackAsync(long id, Guid creator)
    {
        try
        {
            // Only as this creator's: another activation's trial under the id is not this one's to hand out.
            return await Grain(id).GetCreatedAsync(creator);
        }
        catch (Exception)
        {
            // Unknown: the id is skipped either way, and a reactivation probes for it.
            return null;
        }
    }
}
