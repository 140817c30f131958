using System.Collections.Immutable;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;
using VizierOrleans.Grains.State;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// The writes that change the study or which trials exist: create, state, metadata, delete, delete trial
/// (<see cref="TrialCreations"/> creates trials).
/// Each holds the study's gate exclusively.
/// </summary>
internal sealed class StudyWrites(StudyContext study, AlgorithmCatalog catalog)
{
    /// <summary>Creates the study, or returns the stored one (a different config: an error, or a logged mismatch).</summary>
    public async Task<StudyRecord> CreateOrLoadAsync(StudyConfig config, bool requireSameConfig)
    {
        using var hold = await study.Gate.ExclusiveAsync();
        if (study.Stored is { } existing)
        {
            if (ConfigComparison.FirstDifference(existing.Config, config) is { } difference)
            {
                if (requireSameConfig)
                {
                    throw new StudyConfigMismatchException(study.Name, difference);
                }

                StudyLog.ConfigMismatch(study.Logger, study.Name, difference);
            }

            // A retried create whose confirmation did not reach the owner mends it.
            study.Summary.MarkChanged();
            return existing;
        }

        if (ExternalPolicy.Endpoint(config) is null)
        {
            StudyConfigValidator.Validate(config, catalog.Names);
            (catalog.Create(config.Algorithm) as ISearchSpaceRequirement)?.Check(config);
        }
        else
        {
            // The external policy service knows its own algorithm names.
            StudyConfigValidator.Validate(config);
        }

        study.Reset();
        var record = new StudyRecord { Config = config, CreateTime = study.Time.GetUtcNow(), Metadata = config.Metadata };

        // Announced first: if this activation dies after the write, the owner still knows to ask the study.
        await study.Summary.AnnounceAsync(record);
        try
        {
            await study.WriteRecordAsync(record);
        }
        catch
        {
            await study.Summary.TryPublishAsync();
            throw;
        }

        await study.Summary.TryPublishAsync();
        StudyLog.StudyCreated(study.Logger, study.Name, config.Algorithm);
        return record;
    }

    /// <summary>Changes the record (state, metadata); <paramref name="requireActive"/> refuses it on an immutable study.</summary>
    public async Task<StudyRecord> UpdateAsync(Func<StudyRecord, StudyRecord> change, bool requireActive)
    {
        using var hold = await study.Gate.ExclusiveAsync();
        var current = requireActive ? study.RequireActive() : study.Record;
        var updated = (await study.WriteRecordAsync(change(current)))!;
        if (updated.State != current.State)
        {
            await study.Summary.TryPublishAsync();
        }

        return updated;
    }

    /// <summary>
    /// Deletes the trials, then the study. The id floor is written first and the index follows each trial delete, so a
    /// delete that fails half-way leaves a study that lists what is still stored and never hands out a used id again.
    /// </summary>
    public async Task DeleteAsync()
    {
        using var hold = await study.Gate.ExclusiveAsync();
        if (study.Stored is null)
        {
            // Gone already; a retry of a delete whose removal did not reach the owner mends the owner's list.
            await study.Summary.PublishAsync();
            throw new NotFoundException(study.Name);
        }

        await study.WriteRecordAsync(study.Ids.Pin(study.Record));

        // The block summaries go invalid before any trial goes (the trials are deleted without invalidating them one by
        // one), and are deleted after the last one.
        var probeLimit = TrialIdAllocator.ProbeLimit(study.Record);
        await study.Seals.SuspendAndInvalidateAsync(probeLimit);
        var ids = study.Trials.All.Select(t => t.Id).Union(study.SkippedIds).ToList();
        var failure = await study.TrialGrains.DeleteAsync(ids, study.Forget);
        if (failure is not null)
        {
            StudyLog.DeleteIncomplete(study.Logger, failure, study.Name, study.Trials.Count);
            throw failure;
        }

        await study.Seals.DeleteAllAsync(probeLimit);
        await study.ClearRecordAsync();
        study.Reset();
        await study.Summary.PublishAsync();
        StudyLog.StudyDeleted(study.Logger, study.Name, ids.Count);
    }

    /// <summary>Deletes one trial; its id is never reused.</summary>
    public async Task DeleteTrialAsync(long trialId)
    {
        using var hold = await study.Gate.ExclusiveAsync();
        study.RequireActive();
        study.Find(trialId);

        // Written before the row goes, so that a reactivation never hands out a deleted highest id again.
        await study.WriteRecordAsync(study.Ids.Pin(study.Record));
        await study.TrialGrains.Grain(trialId).DeleteAsync();
        study.Forget(trialId);
    }
}
