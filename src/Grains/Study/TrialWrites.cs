using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;
using VizierOrleans.Grains.State;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// The writes to one existing trial (measurement, completion, stop, metadata, stopping decisions). They hold the
/// study's gate shared: together with each other, never beside a batch or a delete that changes which trials exist.
/// </summary>
internal sealed class TrialWrites(StudyContext study)
{
    /// <summary>Adds an intermediate measurement (a repeat of the last one is not appended twice; the trial grain checks).</summary>
    public async Task<Trial> AddMeasurementAsync(long trialId, Measurement measurement)
    {
        using var hold = await study.Gate.SharedAsync();
        var record = study.RequireActive();
        MeasurementValidator.Validate(record.Config, measurement, $"trial {trialId}'s measurement");
        var trial = study.Find(trialId);
        study.Leases.Touch(trialId);
        return study.Remember(await study.TrialGrains.Grain(trial.Id).AddMeasurementAsync(measurement));
    }

    /// <summary>Completes a trial; completes the study when that was its last pending trial.</summary>
    public async Task<Trial> CompleteAsync(long trialId, Measurement? finalMeasurement, string? infeasibleReason)
    {
        Trial completed;
        using (await study.Gate.SharedAsync())
        {
            var record = study.Record;
            if (record.State != StudyState.Active && study.Trials.TryFind(trialId) is { } done && CompletionRepeat.Matches(done, finalMeasurement, infeasibleReason))
            {
                // A retry of the completion that finished the study.
                return await study.WholeAsync(done);
            }

            record = study.RequireActive();
            if (finalMeasurement is not null)
            {
                MeasurementValidator.Validate(record.Config, finalMeasurement, $"trial {trialId}'s final measurement");
            }

            var trial = study.Find(trialId);
            completed = study.Remember(await study.TrialGrains.Grain(trial.Id).CompleteAsync(finalMeasurement, infeasibleReason));
            study.Stops.Forget(trialId);
            study.Leases.Forget(trialId);
            if (!StudyCompletion.IsFinished(study.Record, study.Trials.Count, study.Trials.HasPending))
            {
                return completed;
            }
        }

        // That was the last pending trial: completing the study changes it, so it waits for the gate alone.
        using (await study.Gate.ExclusiveAsync())
        {
            await study.FinishIfDoneAsync();
        }

        return completed;
    }

    /// <summary>ACTIVE becomes STOPPING.</summary>
    public async Task<Trial> StopAsync(long trialId, string reason)
    {
        using var hold = await study.Gate.SharedAsync();
        study.RequireActive();
        var trial = study.Find(trialId);
        return study.Remember(await study.TrialGrains.Grain(trial.Id).StopAsync(reason));
    }

    /// <summary>Sets trial metadata items.</summary>
    public async Task<Trial> UpdateMetadataAsync(long trialId, ImmutableList<MetadataItem> items)
    {
        using var hold = await study.Gate.SharedAsync();
        study.RequireActive();
        var trial = study.Find(trialId);
        return study.Remember(await study.TrialGrains.Grain(trial.Id).UpdateMetadataAsync(items));
    }

    /// <summary>Whether the trial should stop; a trial the policy stops moves to STOPPING.</summary>
    public async Task<StopDecision> ShouldStopAsync(long trialId)
    {
        var record = study.Record;
        var trial = study.Find(trialId);
        study.Leases.Touch(trialId);
        switch (trial.State)
        {
            case TrialState.Stopping:
                return new StopDecision(trialId, true, trial.StoppingReason ?? "stop requested");
            case TrialState.Requested:
                return new StopDecision(trialId, false, "the trial has not started");
            case TrialState.Succeeded or TrialState.Infeasible:
                return new StopDecision(trialId, false, $"the trial is already {trial.State.ToString().ToUpperInvariant()}");
        }

        if (record.Config.Stopping.Rule == StoppingRule.None && ExternalPolicy.Endpoint(record.Config) is null)
        {
            return new StopDecision(trialId, false, "the study has no automated stopping rule");
        }

        var decision = await study.Stops.GetAsync(trialId, trial.Version, () => DecideAsync(record, trialId));
        if (decision is null)
        {
            return new StopDecision(trialId, false, "no decision");
        }

        if (decision.ShouldStop && study.Record.State == StudyState.Active && study.Trials.TryFind(trialId)?.State == TrialState.Active)
        {
            var stopped = await StopAsync(trialId, decision.Reason);
            StudyLog.TrialStopped(study.Logger, stopped.Name, decision.Reason);
        }

        return decision;
    }

    /// <summary>
    /// Decides for every running trial at once (the next worker's question is then answered from the cache); an
    /// external policy is asked about the one trial, as the reference server asks. What the policy writes into study and
    /// trial metadata is stored before the decisions are handed out.
    /// </summary>
    private async Task<IReadOnlyList<(StopDecision Decision, long Version)>> DecideAsync(StudyRecord record, long trialId)
    {
        var snapshot = study.Trials.All;
        var external = ExternalPolicy.Endpoint(record.Config) is not null;
        var running = study.Trials.RunningIds.Where(id => study.Trials.TryFind(id)!.State == TrialState.Active).ToImmutableList();
        PolicyStopResponse response;
        using (var deadline = new CancellationTokenSource(study.Options.PolicyTimeout, study.Time))
        {
            try
            {
                response = await study.PolicyWorker.EarlyStopAsync(
                    new PolicyStopRequest
                    {
                        StudyName = study.Name,
                        Config = record.Config,
                        StudyMetadata = record.Metadata,
                        Trials = snapshot,
                        TrialIds = external ? [trialId] : running,
                        Timeout = study.Options.PolicyTimeout,
                    },
                    deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new VizierException(VizierErrorCode.Unavailable, $"{study.Name}: the stopping policy did not answer within {study.Options.PolicyTimeout}; it was cancelled and no trial was stopped.");
            }
        }

        await ApplyPolicyMetadataAsync(response);
        var versions = snapshot.ToDictionary(t => t.Id, t => t.Version);
        return [.. response.Decisions.Select(d => (d, versions.GetValueOrDefault(d.TrialId)))];
    }

    private async Task ApplyPolicyMetadataAsync(PolicyStopResponse response)
    {
        if (response.MetadataUpdates.IsEmpty && response.TrialMetadataUpdates.IsEmpty)
        {
            return;
        }

        using var hold = await study.Gate.ExclusiveAsync();
        var record = study.RequireActive();
        if (!response.MetadataUpdates.IsEmpty)
        {
            await study.WriteRecordAsync(record with { Metadata = record.Metadata.With(response.MetadataUpdates) });
        }

        foreach (var update in response.TrialMetadataUpdates.Where(u => study.Trials.TryFind(u.TrialId) is not null))
        {
            study.Remember(await study.TrialGrains.Grain(update.TrialId).UpdateMetadataAsync(update.Items));
        }
    }
}
