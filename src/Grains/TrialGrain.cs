using System.Collections.Immutable;
using Orleans.Storage;
using VizierOrleans.Grains.Events;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains;

/// <summary>
/// One trial's record and state machine. Every method is safe to retry: a repeated call that already took effect
/// returns the stored trial instead of failing, because an Orleans call timeout does not cancel the callee.
/// </summary>
internal sealed class TrialGrain(
    [PersistentState("trial", StorageNames.Vizier)] IPersistentState<TrialRecord> state,
    TimeProvider time) : Grain, ITrialGrain
{
    /// <summary>The trial metadata namespace where the service notes lease expiries.</summary>
    public const string ReleasedNamespace = "vizier.lease";

    private Trial Current => state.State.Trial ?? throw new NotFoundException(this.GetPrimaryKeyString());

    /// <inheritdoc />
    public Task<Trial?> GetAsync() => Task.FromResult(state.State.Trial);

    /// <inheritdoc />
    public async Task<Trial> CreateAsync(Trial trial)
    {
        if (state.State.Trial is { } existing)
        {
            return existing.Id == trial.Id && existing.Parameters.Count == trial.Parameters.Count
                && existing.Parameters.All(kv => trial.Parameters.TryGetValue(kv.Key, out var v) && v == kv.Value)
                ? existing
                : throw new FailedPreconditionException($"{existing.Name} exists already.");
        }

        return await SaveAsync(trial with { Version = 1 });
    }

    /// <inheritdoc />
    public async Task<Trial> ActivateAsync(string clientId)
    {
        var trial = Current;
        if (trial.State == TrialState.Active && trial.ClientId == clientId)
        {
            return trial;
        }

        if (trial.State != TrialState.Requested)
        {
            throw new FailedPreconditionException($"{trial.Name} is {trial.State}; only a REQUESTED trial can be handed out.");
        }

        return await SaveAsync(trial with { State = TrialState.Active, ClientId = clientId, StartTime = time.GetUtcNow() });
    }

    /// <inheritdoc />
    public async Task<Trial> ReleaseAsync(string clientId)
    {
        var trial = Current;
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
        var trial = Current;
        if (!trial.State.IsRunning())
        {
            throw new FailedPreconditionException($"{trial.Name} is {trial.State}; measurements can be added only to ACTIVE or STOPPING trials.");
        }

        return await SaveAsync(trial with { Measurements = trial.Measurements.Add(measurement) });
    }

    /// <inheritdoc />
    public async Task<Trial> CompleteAsync(Measurement? finalMeasurement, string? infeasibleReason)
    {
        var trial = Current;
        if (trial.State.IsCompleted())
        {
            var sameOutcome = infeasibleReason is not null
                ? trial.State == TrialState.Infeasible && trial.InfeasibleReason == infeasibleReason
                : trial.State == TrialState.Succeeded && (finalMeasurement is null || finalMeasurement.Equals(trial.FinalMeasurement));
            return sameOutcome
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
                EndTime = time.GetUtcNow(),
            });
        }

        var final = finalMeasurement ?? trial.Measurements.LastOrDefault()
            ?? throw new InvalidArgumentException($"{trial.Name}: no final measurement was given and the trial has no intermediate measurement to use.");
        return await SaveAsync(trial with { State = TrialState.Succeeded, FinalMeasurement = final, EndTime = time.GetUtcNow() });
    }

    /// <inheritdoc />
    public async Task<Trial> StopAsync(string reason)
    {
        var trial = Current;
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
        var trial = Current;
        return await SaveAsync(trial with { Metadata = trial.Metadata.With(items) });
    }

    /// <inheritdoc />
    public async Task DeleteAsync()
    {
        if (state.RecordExists || state.State.Trial is not null)
        {
            var deleted = state.State.Trial;
            await state.ClearStateAsync();
            state.State.Trial = null;
            if (deleted is not null)
            {
                StudyEventPublisher.TrialDeleted(ServiceProvider, deleted, time.GetUtcNow());
            }
        }

        DeactivateOnIdle();
    }

    private async Task<Trial> SaveAsync(Trial trial)
    {
        var previous = state.State.Trial;
        state.State.Trial = trial with { Version = (previous?.Version ?? 0) + 1 };
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // Nothing acknowledged: keep memory equal to what storage holds.
            state.State.Trial = previous;
            if (e is InconsistentStateException)
            {
                // Storage holds something newer than this activation knows: reload it on the next call.
                DeactivateOnIdle();
            }

            throw;
        }

        StudyEventPublisher.TrialSaved(ServiceProvider, previous, state.State.Trial, time.GetUtcNow());
        return state.State.Trial;
    }
}
