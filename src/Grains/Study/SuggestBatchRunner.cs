using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;
using VizierOrleans.Grains.State;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Serves one batch of suggest calls (DESIGN.md's Suggest, steps 1-3): each caller's own ACTIVE trials, then queued
/// REQUESTED ones, then new ones from the policy, surplus queued. Handing out existing trials holds the study's gate
/// exclusively; the policy computes without it, and the new trials are created holding it shared, so reads and
/// completions go on meanwhile.
/// </summary>
internal sealed class SuggestBatchRunner(StudyContext study)
{
    /// <summary>One result per call, in call order.</summary>
    public async Task<SuggestResult[]> ServeAsync(IReadOnlyList<PendingSuggest> batch)
    {
        // Most batches only ask the policy for new trials: then nothing of the study changes before the policy answers,
        // and the batch need not wait for the completions in flight to drain.
        var handedOut = batch.Select(_ => new List<Trial>()).ToArray();
        var ask = OnlyNewTrialsNeeded(batch) ? PolicyRequest(study.Record, batch.Sum(p => p.Count)) : null;
        if (ask is null)
        {
            using (await study.Gate.ExclusiveAsync())
            {
                var record = study.Record;
                if (record.State != StudyState.Active)
                {
                    return [.. batch.Select(_ => NotActive(record))];
                }

                handedOut = await Task.WhenAll(batch.Select(OwnTrialsAsync));
                if (batch.Select((p, i) => p.Count - handedOut[i].Count).Any(n => n > 0))
                {
                    await ReleaseExpiredLeasesAsync(record);
                    await HandOutRequestedAsync(batch, handedOut);
                }

                ask = PolicyRequest(record, Missing(batch, handedOut).Sum());
                if (ask is null)
                {
                    return Results(batch, handedOut, await study.FinishIfDoneAsync());
                }
            }
        }

        // Without the gate: a policy may compute for seconds; completions and reads must not wait for it. Past the
        // study's policy timeout the computation is cancelled: by the policy worker's own deadline from the request's
        // Timeout, and by Orleans passing this token on where it reaches the activation computing.
        PolicySuggestResponse response;
        using (var deadline = new CancellationTokenSource(study.Options.PolicyTimeout, study.Time))
        {
            try
            {
                // An external policy's failure is logged by the policy client, with the study and endpoint.
                response = await study.PolicyWorker.SuggestAsync(ask, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new VizierException(VizierErrorCode.Unavailable, $"{study.Name}: the {ask.Config.Algorithm} policy did not answer within {study.Options.PolicyTimeout}; it was cancelled and nothing was created.");
            }
        }

        // Shared: the new trials exist for nobody else until they are stored (no one can name their ids), and the writes
        // that share the gate never write the study record, so completions of other trials go on beside the creation
        // and their row writes may share its storage transactions. Anything that changes which trials exist waits for it.
        using (await study.Gate.SharedAsync())
        {
            // The study may have changed while the policy computed (made INACTIVE, trials added by hand).
            var record = study.Record;
            if (record.State == StudyState.Active)
            {
                await CreateAsync(record, response, Missing(batch, handedOut), batch, handedOut);
            }

            if (!StudyCompletion.IsFinished(study.Record, study.Trials.Count, study.Trials.HasPending))
            {
                return Results(batch, handedOut, study.Record);
            }
        }

        // Nothing was created and nothing is pending: completing the study changes it, so it waits for the gate alone.
        using (await study.Gate.ExclusiveAsync())
        {
            return Results(batch, handedOut, await study.FinishIfDoneAsync());
        }
    }

    /// <summary>
    /// True when serving the batch changes no existing trial: no caller holds an ACTIVE trial, none is REQUESTED, no
    /// lease has run out, and the study is ACTIVE. Read without the gate: a change that lands meanwhile is checked again
    /// when the policy's trials are created (the study's state, budget and ids are read then).
    /// </summary>
    private bool OnlyNewTrialsNeeded(IReadOnlyList<PendingSuggest> batch)
    {
        var record = study.Record;
        if (record.State != StudyState.Active || study.Trials.RequestedIds.Any() || batch.Any(p => study.Trials.ActiveOf(p.ClientId).Any()))
        {
            return false;
        }

        return record.Config.TrialLease is not { } lease
            || study.Leases.Expired(study.Trials.RunningIds.Select(id => study.Trials.TryFind(id)!), lease).Count == 0;
    }

    private static int[] Missing(IReadOnlyList<PendingSuggest> batch, List<Trial>[] handedOut) =>
        [.. batch.Select((p, i) => Math.Max(0, p.Count - handedOut[i].Count))];

    /// <summary>
    /// 1. A worker that came back with the same client id resumes its ACTIVE trials, as storage holds them: this
    /// activation may be a zombie (its silo declared dead, then back) whose index still gives the worker a trial that the
    /// live activation released when its lease ran out and handed to another worker. Such a trial is not handed back.
    /// </summary>
    private async Task<List<Trial>> OwnTrialsAsync(PendingSuggest pending)
    {
        var indexed = study.Trials.ActiveOf(pending.ClientId).Take(pending.Count).ToList();
        var stored = await Task.WhenAll(indexed.Select(t => study.TrialGrains.Grain(t.Id).ReloadAsync()));
        var own = new List<Trial>(indexed.Count);
        for (var k = 0; k < indexed.Count; k++)
        {
            if (stored[k] is { State: TrialState.Active } current && current.ClientId == pending.ClientId)
            {
                own.Add(study.Remember(current));
                study.Leases.Touch(current.Id);
                continue;
            }

            StudyLog.StaleActiveTrial(study.Logger, study.Name, indexed[k].Id, pending.ClientId, stored[k]?.State.ToString().ToUpperInvariant() ?? "deleted", stored[k]?.ClientId);
            if (stored[k] is { } newer)
            {
                study.Remember(newer);
            }
            else
            {
                study.Forget(indexed[k].Id);
            }

            study.Deactivate();
        }

        return own;
    }

    /// <summary>ACTIVE trials whose worker has been silent past the study's lease go back to the REQUESTED pool.</summary>
    private async Task ReleaseExpiredLeasesAsync(StudyRecord record)
    {
        if (record.Config.TrialLease is not { } lease)
        {
            return;
        }

        var running = study.Trials.RunningIds.Select(id => study.Trials.TryFind(id)!).ToList();
        foreach (var (trial, silence) in study.Leases.Expired(running, lease))
        {
            study.Remember(await study.TrialGrains.Grain(trial.Id).ReleaseAsync(trial.ClientId!));
            study.Leases.Forget(trial.Id);
            StudyLog.LeaseExpired(study.Logger, trial.Name, trial.ClientId!, silence);
        }
    }

    /// <summary>
    /// 2. Queued REQUESTED trials, oldest first, in call order, activated in parallel. One whose state changed meanwhile
    /// (a late completion by the worker whose lease ran out) is skipped and the next one fills its place.
    /// </summary>
    private async Task HandOutRequestedAsync(IReadOnlyList<PendingSuggest> batch, List<Trial>[] handedOut)
    {
        var queue = new Queue<Trial>(study.Trials.RequestedIds.Select(id => study.Trials.TryFind(id)!));
        while (queue.Count > 0)
        {
            var round = new List<(int Caller, Trial Requested)>();
            for (var i = 0; i < batch.Count; i++)
            {
                for (var missing = batch[i].Count - handedOut[i].Count; missing > 0 && queue.TryDequeue(out var requested); missing--)
                {
                    round.Add((i, requested));
                }
            }

            if (round.Count == 0)
            {
                return;
            }

            var activated = await Task.WhenAll(round.Select(r => TryActivateAsync(r.Requested, batch[r.Caller].ClientId)));
            for (var k = 0; k < round.Count; k++)
            {
                if (activated[k] is { } active)
                {
                    handedOut[round[k].Caller].Add(active);
                }
            }
        }
    }

    private async Task<Trial?> TryActivateAsync(Trial requested, string clientId)
    {
        var grain = study.TrialGrains.Grain(requested.Id);
        try
        {
            var active = study.Remember(await grain.ActivateAsync(clientId));
            study.Leases.Touch(active.Id);
            return active;
        }
        catch (FailedPreconditionException)
        {
            if (await grain.GetAsync() is { } current)
            {
                study.Remember(current);
            }

            return null;
        }
    }

    /// <summary>3. What to ask the policy for, or null when nothing new is needed or allowed.</summary>
    private PolicySuggestRequest? PolicyRequest(StudyRecord record, int need)
    {
        var budget = StudyCompletion.RemainingBudget(record, study.Trials.Count);
        return need == 0 || record.PolicyExhausted || budget == 0
            ? null
            : new PolicySuggestRequest
            {
                StudyName = study.Name,
                Config = record.Config,
                StudyMetadata = record.Metadata,
                Trials = study.Trials.All,
                Count = Math.Min(need, budget),
                NextTrialId = study.Ids.Next,
                Timeout = study.Options.PolicyTimeout,
            };
    }

    /// <summary>Stores the policy's points as trials: suggestion k goes to the caller whose need it fills, the rest are queued.</summary>
    private async Task CreateAsync(StudyRecord record, PolicySuggestResponse response, int[] needs, IReadOnlyList<PendingSuggest> batch, List<Trial>[] handedOut)
    {
        var suggestions = response.Suggestions.Take(StudyCompletion.RemainingBudget(record, study.Trials.Count)).ToList();
        var endpoint = ExternalPolicy.Endpoint(record.Config);
        try
        {
            for (var k = 0; k < suggestions.Count; k++)
            {
                SearchSpace.Validate(record.Config, suggestions[k].Parameters, endpoint is null ? $"the {record.Config.Algorithm} algorithm's suggestion" : $"suggestions[{k}]");
            }

            foreach (var update in response.TrialMetadataUpdates)
            {
                _ = study.Trials.TryFind(update.TrialId) ?? throw new InvalidArgumentException($"a metadata update names trial {update.TrialId}, which {study.Name} does not hold");
            }
        }
        catch (InvalidArgumentException e) when (endpoint is not null)
        {
            var unusable = new ExternalPolicyException(VizierErrorCode.Internal, endpoint, $"The external policy service at '{endpoint}' sent a decision {study.Name} cannot use: {e.Message}");
            StudyLog.ExternalPolicyFailed(study.Logger, study.Name, endpoint, unusable.Message);
            throw unusable;
        }

        // As the reference server does, the policy's trial metadata lands before the new trials are created.
        await Task.WhenAll(response.TrialMetadataUpdates.Select(async u =>
            study.Remember(await study.TrialGrains.Grain(u.TrialId).UpdateMetadataAsync(u.Items))));

        // Written before any trial of the batch exists: the policy's state, and the reservation of the ids.
        var changed = record with
        {
            PolicyExhausted = record.PolicyExhausted || response.Exhausted,
            Metadata = record.Metadata.With(response.MetadataUpdates),
        };
        var toWrite = study.Ids.Reserve(changed, suggestions.Count);
        if (!ReferenceEquals(toWrite, changed) || changed != record)
        {
            await study.WriteRecordAsync(toWrite);
        }

        var firstId = study.Ids.Take(suggestions.Count);

        var owners = needs.SelectMany((n, caller) => Enumerable.Repeat(caller, n)).ToArray();
        var now = study.Time.GetUtcNow();
        var trials = suggestions.Select((suggestion, k) => new Trial
        {
            StudyName = study.Name,
            Id = firstId + k,
            Parameters = suggestion.Parameters,
            Metadata = suggestion.Metadata,
            State = k < owners.Length ? TrialState.Active : TrialState.Requested,
            ClientId = k < owners.Length ? batch[owners[k]].ClientId : null,
            CreateTime = now,
            StartTime = k < owners.Length ? now : null,
        }).ToList();

        var (stored, failure) = await study.CreateTrialsAsync(trials);
        foreach (var trial in stored)
        {
            study.Remember(trial);
            study.Leases.Touch(trial.Id);
            var k = (int)(trial.Id - firstId);
            if (k < owners.Length)
            {
                handedOut[owners[k]].Add(trial);
            }
        }

        if (failure is not null)
        {
            // What was stored stays, and a retried suggest hands the callers their stored trials; the rest of the ids are skipped.
            study.SkippedIds.UnionWith(trials.Select(t => t.Id).Except(stored.Select(t => t.Id)));
            StudyLog.TrialsNotStored(study.Logger, failure, study.Name, trials.Count - stored.Count, trials.Count);
            throw failure;
        }
    }

    private SuggestResult[] Results(IReadOnlyList<PendingSuggest> batch, List<Trial>[] handedOut, StudyRecord record)
    {
        var exhausted = record.State != StudyState.Active || StudyCompletion.NoMoreNewTrials(record, study.Trials.Count);
        var mayHaveWorkLater = exhausted && record.State == StudyState.Active && record.Config.TrialLease is not null && study.Trials.HasPending;
        return [.. batch.Select((p, i) => new SuggestResult
        {
            Trials = [.. handedOut[i]],
            StudyState = record.State,
            Exhausted = exhausted,
            MayHaveWorkLater = mayHaveWorkLater,
            Reason = handedOut[i].Count < p.Count ? StudyCompletion.ExhaustionReason(record, study.Trials.Count) : null,
        })];
    }

    private SuggestResult NotActive(StudyRecord record) => new()
    {
        StudyState = record.State,
        Exhausted = true,
        Reason = $"{study.Name} is {record.State.ToString().ToUpperInvariant()}{(record.StateReason is null ? string.Empty : $" ({record.StateReason})")}; it hands out no trials.",
    };
}
