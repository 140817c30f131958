using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using VizierOrleans.Grains.Events;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;
using VizierOrleans.Grains.Study;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains;

/// <summary>
/// One trial's record and state machine. Every method is safe to retry: a repeated call that already took effect
/// returns the stored trial instead of failing, because an Orleans call timeout does not cancel the callee.
/// </summary>
[GrainType("trial")]
internal sealed class TrialGrain : Grain, ITrialGrain
{
    /// <summary>The trial metadata namespace where the service notes lease expiries.</summary>
    public const string ReleasedNamespace = "vizier.lease";

    private readonly LazyGrainState<TrialRecord> _state;
    private readonly CommittedState<TrialRecord, Trial?> _trial;
    private readonly TimeProvider _time;
    private readonly IPartitionSummaryStore? _summaries;

    // A delete whose invalidation of the block summary failed after the row went: a repeat of the delete does it.
    private bool _invalidationOwed;

    /// <summary>
    /// Creates the grain over its storage slot: the state named "trial" in the Vizier storage, as <c>[PersistentState]</c>
    /// would name it, read on the first call that needs it (a creation inserts without reading).
    /// </summary>
    public TrialGrain(StudyTrialReader reader, TimeProvider time)
    {
        _state = new LazyGrainState<TrialRecord>("trial", this.GetGrainId(), ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Vizier));
        _trial = new(_state, s => s.Trial, (s, t) => s.Trial = t, DeactivateOnIdle);
        _time = time;
        _summaries = reader.Summaries;
    }

    private async Task<Trial> CurrentAsync()
    {
        await _state.EnsureReadAsync();
        return _trial.Value ?? throw new NotFoundException(this.GetPrimaryKeyString());
    }

    /// <inheritdoc />
    public async Task<Trial?> GetAsync()
    {
        await _state.EnsureReadAsync();
        return _trial.Value;
    }

    /// <inheritdoc />
    public async Task<Trial?> GetCreatedAsync(Guid creator)
    {
        await _state.EnsureReadAsync();
        return _state.State.Creator == creator ? _trial.Value : null;
    }

    /// <inheritdoc />
    public async Task<Trial> CreateAsync(Trial trial, Guid creator)
    {
        // A new trial's row does not exist yet: it is inserted without reading it first (one storage read less per
        // trial). An insert that meets a row (this creator's repeat, another activation's trial, a deleted trial's
        // empty row) reads it and decides below as if it had been read on activation.
        if (!_state.Loaded)
        {
            if (await _state.TryInsertAsync(new TrialRecord { Trial = trial with { Version = 1 }, Creator = creator }))
            {
                var created = _trial.Value!;
                StudyEventPublisher.TrialSaved(ServiceProvider, null, created, _time.GetUtcNow());
                return created;
            }

            await _state.ReadStateAsync();
        }

        if (_trial.Value is { } existing)
        {
            // Only the creator's own repeat (its first call timed out) is a retry. The same id and even the same
            // parameters (a seeded policy) from another activation mean two activations of the study allocate ids.
            if (_state.State.Creator != creator)
            {
                throw new InconsistentStateException($"{existing.Name} was created by another activation of its study (a failover); the caller's view of the study is stale and it must reload.");
            }

            return existing.Id == trial.Id && existing.Parameters.Count == trial.Parameters.Count
                && existing.Parameters.All(kv => trial.Parameters.TryGetValue(kv.Key, out var v) && v == kv.Value)
                ? existing
                : throw new FailedPreconditionException($"{existing.Name} exists already.");
        }

        _state.State.Creator = creator;
        try
        {
            return await SaveAsync(trial);
        }
        catch
        {
            _state.State.Creator = null;
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<Trial> ActivateAsync(string clientId)
    {
        var trial = await CurrentAsync();
        if (trial.State == TrialState.Active && trial.ClientId == clientId)
        {
            return trial;
        }

        if (trial.State != TrialState.Requested)
        {
            throw new FailedPreconditionException($"{trial.Name} is {trial.State}; only a REQUESTED trial can be handed out.");
        }

        return await SaveAsync(trial with { State = TrialState.Active, ClientId = clientId, StartTime = _time.GetUtcNow() });
    }

    /// <inheritdoc />
    public async Task<Trial> ReleaseAsync(string clientId)
    {
        var trial = await CurrentAsync();
        if (trial.State != TrialState.Active || trial.ClientId != clientId)
        {
            return trial;
        }

        var released = trial.Metadata.With(ReleasedNamespace, "released_from", clientId);
        return await SaveAsync(trial with { State = TrialState.Requested, ClientId = null, StartTime = null, Metadata = released });
    }

    /// <inheritdoc />
    public async Task<Trial> AddMeasurementAsync(Measurement measurement)
    {
        var trial = await CurrentAsync();
        if (!trial.State.IsRunning())
        {
            throw new FailedPreconditionException($"{trial.Name} is {trial.State}; measurements can be added only to ACTIVE or STOPPING trials.");
        }

        // A retried call (its answer was lost) must not append the same measurement twice.
        if (trial.Measurements.Any(m => m.Steps == measurement.Steps && m.Equals(measurement)))
        {
            return trial;
        }

        return await SaveAsync(trial with { Measurements = trial.Measurements.Add(measurement) });
    }

    /// <inheritdoc />
    public async Task<Trial> CompleteAsync(Measurement? finalMeasurement, string? infeasibleReason)
    {
        var trial = await CurrentAsync();
        if (trial.State.IsCompleted())
        {
            return CompletionRepeat.Matches(trial, finalMeasurement, infeasibleReason)
                ? trial
                : throw new FailedPreconditionException($"{trial.Name} is already {trial.State}; a completed trial cannot be completed again with a different result.");
        }

        if (!trial.State.IsRunning())
        {
            // A worker whose lease ran out may still finish its trial before anyone else takes it: accepted, once.
            var releasedFrom = trial.State == TrialState.Requested ? trial.Metadata.Get(ReleasedNamespace, "released_from") : null;
            trial = releasedFrom is not null
                ? trial with { ClientId = releasedFrom }
                : throw new FailedPreconditionException($"{trial.Name} is {trial.State}; only ACTIVE or STOPPING trials can be completed.");
        }

        if (infeasibleReason is not null)
        {
            return await SaveAsync(trial with
            {
                State = TrialState.Infeasible,
                InfeasibleReason = infeasibleReason,
                FinalMeasurement = finalMeasurement,
                EndTime = _time.GetUtcNow(),
            });
        }

        var final = finalMeasurement ?? trial.Measurements.LastOrDefault()
            ?? throw new InvalidArgumentException($"{trial.Name}: no final measurement was given and the trial has no intermediate measurement to use.");
        return await SaveAsync(trial with { State = TrialState.Succeeded, FinalMeasurement = final, EndTime = _time.GetUtcNow() });
    }

    /// <inheritdoc />
    public async Task<Trial> StopAsync(string reason)
    {
        var trial = await CurrentAsync();
        return trial.State switch
        {
            TrialState.Active => await SaveAsync(trial with { State = TrialState.Stopping, StoppingReason = reason }),
            TrialState.Stopping or TrialState.Succeeded => trial,
            _ => throw new FailedPreconditionException($"{trial.Name} is {trial.State}; only an ACTIVE trial can be stopped."),
        };
    }

    /// <inheritdoc />
    public async Task<Trial> UpdateMetadataAsync(ImmutableList<MetadataItem> items)
    {
        var trial = await CurrentAsync();
        return await SaveAsync(trial with { Metadata = trial.Metadata.With(items) });
    }

    /// <inheritdoc />
    public Task DeleteAsync() => DeleteAsync(invalidate: true);

    /// <inheritdoc />
    public Task DeleteWithStudyAsync() => DeleteAsync(invalidate: false);

    private async Task DeleteAsync(bool invalidate)
    {
        await _state.EnsureReadAsync();
        if (_trial.Exists || _trial.Value is not null)
        {
            var deleted = _trial.Value;
            var summarized = invalidate && deleted is not null && deleted.State.IsCompleted();
            if (summarized)
            {
                await InvalidateBlockAsync();
                _invalidationOwed = true;
            }

            await _trial.ClearAsync(null);
            if (deleted is not null)
            {
                StudyEventPublisher.TrialDeleted(ServiceProvider, deleted, _time.GetUtcNow());
            }
        }

        if (_invalidationOwed && invalidate)
        {
            await InvalidateBlockAsync();
            _invalidationOwed = false;
        }

        DeactivateOnIdle();
    }

    private async Task<Trial> SaveAsync(Trial trial)
    {
        var previous = _trial.Value;

        // Only a completed trial can be in a sealed block (TrialBlocks): its block's summary is invalidated before the
        // write, and again after it, before the caller hears of it, so that a summary written from rows read before this
        // write landed is refused or wiped (a call that timed out still writes: its caller may seal meanwhile).
        var summarized = previous is not null && previous.State.IsCompleted();
        if (summarized)
        {
            await InvalidateBlockAsync();
        }

        var saved = (await _trial.WriteAsync(trial with { Version = (previous?.Version ?? 0) + 1 }))!;
        if (summarized)
        {
            await InvalidateBlockAsync();
        }

        StudyEventPublisher.TrialSaved(ServiceProvider, previous, saved, _time.GetUtcNow());
        return saved;
    }

    private Task InvalidateBlockAsync()
    {
        if (_summaries is null)
        {
            return Task.CompletedTask;
        }

        var (study, id) = ResourceNames.ParseTrial(this.GetPrimaryKeyString());
        var block = TrialBlocks.Of(id);
        return Task.WhenAll(
            _summaries.InvalidateAsync(study, TrialBlocks.Key(block), CancellationToken.None),
            _summaries.InvalidateAsync(study, TrialBlocks.WholeKey(block), CancellationToken.None));
    }
}
