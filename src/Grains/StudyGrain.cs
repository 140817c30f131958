using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Storage;
using VizierOrleans.Grains.Events;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;

namespace VizierOrleans.Grains;

/// <summary>
/// One study: config, state, the trial index and suggestion coordination.
/// Reentrant so that reads never wait behind a suggestion computation (which runs on a policy-worker grain);
/// id allocation (suggest, create trial) is serialized by <see cref="_allocationLock"/>, and every write of the
/// study record by <see cref="_writeLock"/>. The trial index lives in memory, rebuilt from the trial grains on
/// activation; each trial grain is the system of record for its trial.
/// </summary>
[Reentrant]
internal sealed partial class StudyGrain(
    [PersistentState("study", StorageNames.Vizier)] IPersistentState<StudyDocument> state,
    AlgorithmCatalog catalog,
    TimeProvider time,
    ILogger<StudyGrain> logger) : Grain, IStudyGrain
{
    private const int LoadParallelism = 64;

    // Trial ids reserved per study write: larger blocks mean fewer writes, and more trial grains to probe on activation.
    private const int IdReservationBlock = 100;
    private static readonly TimeSpan StopDecisionLifetime = TimeSpan.FromSeconds(2);

    // A finished suggest operation stays readable this long, for a client that polls it after the call that started it timed out.
    private static readonly TimeSpan OperationRetention = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _allocationLock = new(1, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly List<PendingSuggest> _pendingSuggests = [];
    private readonly Dictionary<long, (StopDecision Decision, long Version, DateTimeOffset At)> _stopDecisions = [];

    // When a worker last showed it is alive for a trial. In memory only: after a reactivation every ACTIVE trial
    // starts a fresh lease, which errs on the side of the worker.
    private readonly Dictionary<long, DateTimeOffset> _lastSeen = [];
    private readonly TrialIndex _trials = new();

    // Suggest operations by id; ids start from the activation's clock so an old operation name never aliases a new one.
    private readonly Dictionary<long, PendingSuggest> _operations = [];
    private long _nextOperationId = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    private long _nextTrialId = 1;
    private bool _draining;

    private string Name => this.GetPrimaryKeyString();

    private StudyRecord Record => state.State.Study ?? throw new NotFoundException(Name);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ResourceNames.ParseStudy(Name);
        if (state.State.Study is { } record)
        {
            await LoadTrialsAsync(Math.Max(record.NextTrialId, record.ReservedTrialIdsUpTo));
            _nextTrialId = Math.Max(record.NextTrialId, (_trials.All.LastOrDefault()?.Id ?? 0) + 1);
        }
    }

    /// <inheritdoc />
    public async Task<StudyInfo> CreateOrLoadAsync(StudyConfig config, bool requireSameConfig)
    {
        ArgumentNullException.ThrowIfNull(config);
        await _writeLock.WaitAsync();
        try
        {
            if (state.State.Study is { } existing)
            {
                if (ConfigComparison.FirstDifference(existing.Config, config) is { } difference)
                {
                    if (requireSameConfig)
                    {
                        throw new StudyConfigMismatchException(Name, difference);
                    }

                    LogConfigMismatch(logger, Name, difference);
                }

                return ToInfo(existing);
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

            var (owner, studyId) = ResourceNames.ParseStudy(Name);
            await GrainFactory.GetGrain<IOwnerGrain>(owner).RegisterAsync(studyId);
            var record = new StudyRecord { Config = config, CreateTime = time.GetUtcNow(), Metadata = config.Metadata };
            await SaveAsync(record);
            LogStudyCreated(logger, Name, config.Algorithm);
            return ToInfo(record);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public Task<StudyInfo> GetAsync() => Task.FromResult(ToInfo(Record));

    /// <inheritdoc />
    public async Task<StudyInfo> SetStateAsync(StudyState newState)
    {
        if (newState is not (StudyState.Active or StudyState.Inactive or StudyState.Completed))
        {
            throw new InvalidArgumentException($"Study state {newState} is not one of ACTIVE, INACTIVE, COMPLETED.");
        }

        return ToInfo(await UpdateRecordAsync(r => r with { State = newState, StateReason = $"set to {newState} by request" }, requireActive: false));
    }

    /// <inheritdoc />
    public async Task DeleteAsync()
    {
        await _allocationLock.WaitAsync();
        await _writeLock.WaitAsync();
        try
        {
            _ = Record;
            var trials = _trials.All;
            await Parallel.ForEachAsync(trials, OnThisGrain, (t, _) => new ValueTask(GrainFactory.GetGrain<ITrialGrain>(t.Name).DeleteAsync()));
            _trials.Clear();
            _nextTrialId = 1;
            var (owner, studyId) = ResourceNames.ParseStudy(Name);
            await state.ClearStateAsync();
            state.State.Study = null;
            await GrainFactory.GetGrain<IOwnerGrain>(owner).UnregisterAsync(studyId);
            StudyEventPublisher.StudyDeleted(ServiceProvider, Name, time.GetUtcNow());
            LogStudyDeleted(logger, Name, trials.Count);
        }
        finally
        {
            _writeLock.Release();
            _allocationLock.Release();
        }

        DeactivateOnIdle();
    }

    /// <inheritdoc />
    public Task<SuggestResult> SuggestAsync(int count, string clientId) => Enqueue(count, clientId).Completion.Task;

    /// <inheritdoc />
    public async Task<SuggestOperation> StartSuggestAsync(int count, string clientId, TimeSpan wait)
    {
        _ = Record;
        ForgetOldOperations();

        // A retried start (its first call timed out) finds the operation that is still running for this client.
        var pending = _operations.Values.FirstOrDefault(o => o.ClientId == clientId && o.DoneAt is null) ?? Enqueue(count, clientId);
        return await WaitForAsync(pending, wait);
    }

    /// <inheritdoc />
    public async Task<SuggestOperation> GetSuggestOperationAsync(long operationId, TimeSpan wait)
    {
        _ = Record;
        return _operations.TryGetValue(operationId, out var pending)
            ? await WaitForAsync(pending, wait)
            : throw new NotFoundException($"{Name}: suggest operation {operationId} (operations are kept {OperationRetention.TotalMinutes:0} minutes after they finish, and not across a reactivation of the study)");
    }

    private PendingSuggest Enqueue(int count, string clientId)
    {
        if (count <= 0)
        {
            throw new InvalidArgumentException($"Suggest count must be positive, was {count}.");
        }

        if (string.IsNullOrWhiteSpace(clientId))
        {
            throw new InvalidArgumentException("Suggest needs a non-empty client id.");
        }

        _ = Record;
        var pending = new PendingSuggest(++_nextOperationId, count, clientId);
        _operations[pending.OperationId] = pending;
        _pendingSuggests.Add(pending);
        if (!_draining)
        {
            _draining = true;
            _ = DrainSuggestsAsync();
        }

        return pending;
    }

    private async Task<SuggestOperation> WaitForAsync(PendingSuggest pending, TimeSpan wait)
    {
        var completion = pending.Completion.Task;
        if (!completion.IsCompleted && wait > TimeSpan.Zero)
        {
            await Task.WhenAny(completion, Task.Delay(wait, time));
        }

        var operation = new SuggestOperation { Id = pending.OperationId, ClientId = pending.ClientId };
        return completion.Status switch
        {
            TaskStatus.RanToCompletion => operation with { Done = true, Result = completion.Result },
            TaskStatus.Faulted or TaskStatus.Canceled => operation with
            {
                Done = true,
                ErrorCode = completion.Exception?.InnerException switch
                {
                    VizierException v => v.Code,

                    // What the study depends on (a silo, storage, a call) failed: another attempt may succeed.
                    TimeoutException or OrleansException => VizierErrorCode.Unavailable,
                    _ => VizierErrorCode.Internal,
                },
                ErrorMessage = completion.Exception?.InnerException is { } e ? (e is VizierException ? e.Message : $"{e.GetType().Name}: {e.Message}") : "the suggestion was cancelled",
            },
            _ => operation,
        };
    }

    private void ForgetOldOperations()
    {
        var now = time.GetUtcNow();
        foreach (var id in _operations.Where(o => o.Value.DoneAt is { } at && now - at > OperationRetention).Select(o => o.Key).ToList())
        {
            _operations.Remove(id);
        }
    }

    /// <summary>
    /// Serves every queued suggest call as one batch: the result is what serving them one after another would give,
    /// but a batch makes one policy call, one study write and parallel trial writes, so throughput grows with the
    /// number of workers instead of queueing them.
    /// </summary>
    private async Task DrainSuggestsAsync()
    {
        await _allocationLock.WaitAsync();
        try
        {
            while (_pendingSuggests.Count > 0)
            {
                var batch = _pendingSuggests.ToList();
                _pendingSuggests.Clear();
                try
                {
                    var results = await SuggestBatchAsync(batch);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].DoneAt = time.GetUtcNow();
                        batch[i].Completion.TrySetResult(results[i]);
                    }
                }
                catch (Exception e)
                {
                    if (e is ExternalPolicyException policy)
                    {
                        LogExternalPolicyFailed(logger, Name, policy.Endpoint, policy.Message);
                    }

                    batch.ForEach(p =>
                    {
                        p.DoneAt = time.GetUtcNow();
                        p.Completion.TrySetException(e);
                    });
                }
            }
        }
        finally
        {
            _draining = false;
            _allocationLock.Release();
        }
    }

    private async Task<SuggestResult[]> SuggestBatchAsync(List<PendingSuggest> batch)
    {
        var record = Record;
        if (record.State != StudyState.Active)
        {
            var inactive = new SuggestResult
            {
                StudyState = record.State,
                Exhausted = true,
                Reason = $"{Name} is {record.State.ToString().ToUpperInvariant()}{(record.StateReason is null ? string.Empty : $" ({record.StateReason})")}; it hands out no trials.",
            };
            return [.. batch.Select(_ => inactive)];
        }

        // 1. Each caller's own ACTIVE trials: a worker that came back with the same id resumes them.
        var handedOut = batch.Select(p =>
        {
            var own = _trials.ActiveOf(p.ClientId).Take(p.Count).ToList();
            own.ForEach(t => Touch(t.Id));
            return own;
        }).ToList();
        if (batch.Select((p, i) => p.Count - handedOut[i].Count).Any(n => n > 0))
        {
            await ReleaseExpiredLeasesAsync(record);
        }

        // 2. Queued REQUESTED trials, oldest first, in call order, activated in parallel. One whose state changed
        // meanwhile (a late completion by the worker whose lease ran out) is skipped and the next one fills its place.
        var queue = new Queue<Trial>(_trials.RequestedIds.Select(id => _trials.TryFind(id)!));
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
                break;
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

        // 3. New trials from the algorithm for what is still missing; surplus is queued as REQUESTED.
        var needs = batch.Select((p, i) => p.Count - handedOut[i].Count).ToArray();
        if (needs.Sum() > 0)
        {
            var created = await CreateSuggestedTrialsAsync(needs, [.. batch.Select(p => p.ClientId)]);
            for (var i = 0; i < batch.Count; i++)
            {
                handedOut[i].AddRange(created[i]);
            }
        }

        record = await CompleteIfFinishedAsync();
        var exhausted = record.State != StudyState.Active || NoMoreNewTrials(record);
        var mayHaveWorkLater = exhausted && record.State == StudyState.Active && record.Config.TrialLease is not null && _trials.HasPending;
        return [.. batch.Select((p, i) => new SuggestResult
        {
            Trials = [.. handedOut[i]],
            StudyState = record.State,
            Exhausted = exhausted,
            MayHaveWorkLater = mayHaveWorkLater,
            Reason = handedOut[i].Count < p.Count ? ExhaustionReason(record) : null,
        })];
    }

    private async Task<Trial?> TryActivateAsync(Trial requested, string clientId)
    {
        var grain = GrainFactory.GetGrain<ITrialGrain>(requested.Name);
        try
        {
            var active = Remember(await grain.ActivateAsync(clientId));
            Touch(active.Id);
            return active;
        }
        catch (FailedPreconditionException)
        {
            if (await grain.GetAsync() is { } current)
            {
                Remember(current);
            }

            return null;
        }
    }

    /// <inheritdoc />
    public async Task<Trial> CreateTrialAsync(TrialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _allocationLock.WaitAsync();
        try
        {
            var record = RequireActive();
            SearchSpace.Validate(record.Config, request.Parameters, "new trial");
            if (request.FinalMeasurement is { } final)
            {
                ValidateMeasurement(record.Config, final, "new trial's final measurement");
            }

            if (request.InfeasibleReason is { Length: 0 })
            {
                throw new InvalidArgumentException("new trial: an infeasible trial needs a non-empty reason.");
            }

            if (record.Config.MaxTrials is int max && _trials.Count >= max)
            {
                throw new FailedPreconditionException($"{Name} holds {_trials.Count} trials, its budget of {max}; no trial can be added.");
            }

            var now = time.GetUtcNow();
            var id = await AllocateTrialIdsAsync(1, r => r);
            var completed = request.FinalMeasurement is not null || request.InfeasibleReason is not null;
            var trial = new Trial
            {
                StudyName = Name,
                Id = id,
                Parameters = request.Parameters,
                State = request.InfeasibleReason is not null ? TrialState.Infeasible : completed ? TrialState.Succeeded : TrialState.Requested,
                FinalMeasurement = request.FinalMeasurement,
                InfeasibleReason = request.InfeasibleReason,
                Metadata = request.Metadata,
                CreateTime = now,
                StartTime = completed ? now : null,
                EndTime = completed ? now : null,
            };
            var stored = await GrainFactory.GetGrain<ITrialGrain>(trial.Name).CreateAsync(trial);
            Remember(stored);
            await CompleteIfFinishedAsync();
            return stored;
        }
        finally
        {
            _allocationLock.Release();
        }
    }

    /// <inheritdoc />
    public Task<Trial> GetTrialAsync(long trialId)
    {
        _ = Record;
        return Task.FromResult(Find(trialId));
    }

    /// <inheritdoc />
    public Task<ImmutableList<Trial>> ListTrialsAsync(TrialFilter filter)
    {
        _ = Record;
        filter ??= TrialFilter.All;
        IEnumerable<Trial> trials = _trials.All.Where(t => t.Id > filter.AfterId);
        if (!filter.States.IsEmpty)
        {
            trials = trials.Where(t => filter.States.Contains(t.State));
        }

        if (filter.MaxCount > 0)
        {
            trials = trials.Take(filter.MaxCount);
        }

        return Task.FromResult(trials.ToImmutableList());
    }

    /// <inheritdoc />
    public async Task<Trial> AddMeasurementAsync(long trialId, Measurement measurement)
    {
        var record = RequireActive();
        ValidateMeasurement(record.Config, measurement, $"trial {trialId}'s measurement");
        var trial = Find(trialId);
        Touch(trialId);
        return Remember(await GrainFactory.GetGrain<ITrialGrain>(trial.Name).AddMeasurementAsync(measurement));
    }

    /// <inheritdoc />
    public async Task<Trial> CompleteTrialAsync(long trialId, Measurement? finalMeasurement)
    {
        var record = RequireActive();
        if (finalMeasurement is not null)
        {
            ValidateMeasurement(record.Config, finalMeasurement, $"trial {trialId}'s final measurement");
        }

        return await CompleteAsync(trialId, finalMeasurement, null);
    }

    /// <inheritdoc />
    public async Task<Trial> CompleteTrialInfeasibleAsync(long trialId, string reason)
    {
        RequireActive();
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new InvalidArgumentException($"trial {trialId}: completing as infeasible needs a reason.");
        }

        return await CompleteAsync(trialId, null, reason);
    }

    /// <inheritdoc />
    public async Task<Trial> StopTrialAsync(long trialId)
    {
        RequireActive();
        var trial = Find(trialId);
        return Remember(await GrainFactory.GetGrain<ITrialGrain>(trial.Name).StopAsync("stop requested"));
    }

    /// <inheritdoc />
    public async Task<StopDecision> ShouldStopAsync(long trialId)
    {
        var record = Record;
        var trial = Find(trialId);
        Touch(trialId);
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

        var now = time.GetUtcNow();
        if (!_stopDecisions.TryGetValue(trialId, out var cached) || cached.Version != trial.Version || now - cached.At > StopDecisionLifetime)
        {
            // Decide for every running trial at once: the next worker's question is then answered from the cache.
            var snapshot = _trials.All;
            var running = _trials.RunningIds.Where(id => _trials.TryFind(id)!.State == TrialState.Active).ToImmutableList();
            // An external policy is asked about the one trial, as the reference server asks; our own rules decide for all.
            var external = ExternalPolicy.Endpoint(record.Config) is not null;
            var response = await PolicyWorker.EarlyStopAsync(new PolicyStopRequest
            {
                StudyName = Name,
                Config = record.Config,
                StudyMetadata = record.Metadata,
                Trials = snapshot,
                TrialIds = external ? [trialId] : running,
            });
            await ApplyPolicyMetadataAsync(response);
            foreach (var d in response.Decisions)
            {
                var version = snapshot.FirstOrDefault(t => t.Id == d.TrialId)?.Version ?? 0;
                _stopDecisions[d.TrialId] = (d, version, now);
            }

            if (!_stopDecisions.TryGetValue(trialId, out cached))
            {
                return new StopDecision(trialId, false, "no decision");
            }
        }

        if (cached.Decision.ShouldStop && Record.State == StudyState.Active)
        {
            var stopped = Remember(await GrainFactory.GetGrain<ITrialGrain>(trial.Name).StopAsync(cached.Decision.Reason));
            LogTrialStopped(logger, stopped.Name, cached.Decision.Reason);
        }

        return cached.Decision;
    }

    /// <inheritdoc />
    public Task<ImmutableList<Trial>> ListOptimalTrialsAsync() =>
        Task.FromResult(Objectives.Optimal(Record.Config, _trials.All).ToImmutableList());

    /// <inheritdoc />
    public async Task<StudyInfo> UpdateStudyMetadataAsync(ImmutableList<MetadataItem> items) =>
        ToInfo(await UpdateRecordAsync(r => r with { Metadata = r.Metadata.With(items) }, requireActive: true));

    /// <inheritdoc />
    public async Task<Trial> UpdateTrialMetadataAsync(long trialId, ImmutableList<MetadataItem> items)
    {
        RequireActive();
        var trial = Find(trialId);
        return Remember(await GrainFactory.GetGrain<ITrialGrain>(trial.Name).UpdateMetadataAsync(items));
    }

    /// <inheritdoc />
    public async Task DeleteTrialAsync(long trialId)
    {
        RequireActive();
        var trial = Find(trialId);

        // Written exactly before the row goes, so that a reactivation never hands out a deleted highest id again.
        await UpdateRecordAsync(r => r with { NextTrialId = Math.Max(r.NextTrialId, _nextTrialId) }, requireActive: true);
        await GrainFactory.GetGrain<ITrialGrain>(trial.Name).DeleteAsync();
        _trials.Remove(trialId);
    }

    /// <summary>
    /// Takes <paramref name="count"/> consecutive ids. The study record is written (with <paramref name="change"/>)
    /// before any trial with these ids exists when the ids leave the reserved block or the change alters the record,
    /// so a crash can skip ids but never hands one out twice.
    /// </summary>
    private async Task<long> AllocateTrialIdsAsync(int count, Func<StudyRecord, StudyRecord> change)
    {
        var first = _nextTrialId;
        var record = Record;
        var changed = change(record);
        if (first + count > record.ReservedTrialIdsUpTo || !ReferenceEquals(changed, record) && changed != record)
        {
            var reserved = Math.Max(record.ReservedTrialIdsUpTo, first + count + IdReservationBlock);
            await UpdateRecordAsync(r => change(r) with { NextTrialId = first, ReservedTrialIdsUpTo = reserved }, requireActive: true);
        }

        _nextTrialId = first + count;
        return first;
    }

    /// <summary>Stores what a stopping policy wrote into study and trial metadata.</summary>
    private async Task ApplyPolicyMetadataAsync(PolicyStopResponse response)
    {
        if (!response.MetadataUpdates.IsEmpty)
        {
            await UpdateRecordAsync(r => r with { Metadata = r.Metadata.With(response.MetadataUpdates) }, requireActive: true);
        }

        foreach (var update in response.TrialMetadataUpdates.Where(u => _trials.TryFind(u.TrialId) is not null))
        {
            Remember(await GrainFactory.GetGrain<ITrialGrain>(ResourceNames.Trial(Name, update.TrialId)).UpdateMetadataAsync(update.Items));
        }
    }

    private void Touch(long trialId) => _lastSeen[trialId] = time.GetUtcNow();

    /// <summary>ACTIVE trials whose worker has been silent past the study's lease go back to the REQUESTED pool.</summary>
    private async Task ReleaseExpiredLeasesAsync(StudyRecord record)
    {
        if (record.Config.TrialLease is not { } lease)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var trial in _trials.RunningIds.Select(id => _trials.TryFind(id)!).Where(t => t.State == TrialState.Active).ToList())
        {
            var seen = _lastSeen.TryGetValue(trial.Id, out var at) ? at : _lastSeen[trial.Id] = now;
            if (now - seen > lease)
            {
                Remember(await GrainFactory.GetGrain<ITrialGrain>(trial.Name).ReleaseAsync(trial.ClientId!));
                _lastSeen.Remove(trial.Id);
                LogLeaseExpired(logger, trial.Name, trial.ClientId!, now - seen);
            }
        }
    }

    // Fans out trial-grain calls, at most 64 at a time, keeping the continuations on this grain's scheduler.
    private static ParallelOptions OnThisGrain => new() { MaxDegreeOfParallelism = LoadParallelism, TaskScheduler = TaskScheduler.Current };

    private IPolicyWorkerGrain PolicyWorker => GrainFactory.GetGrain<IPolicyWorkerGrain>(0);

    /// <summary>Asks the policy for the missing trials of a batch; returns the new ACTIVE trials per caller.</summary>
    private async Task<List<Trial>[]> CreateSuggestedTrialsAsync(int[] needs, string[] clientIds)
    {
        var created = needs.Select(_ => new List<Trial>()).ToArray();
        var record = Record;
        var budget = record.Config.MaxTrials is int max ? Math.Max(0, max - _trials.Count) : int.MaxValue;
        if (record.PolicyExhausted || budget == 0)
        {
            return created;
        }

        var need = needs.Sum();
        var response = await PolicyWorker.SuggestAsync(new PolicySuggestRequest
        {
            StudyName = Name,
            Config = record.Config,
            StudyMetadata = record.Metadata,
            Trials = _trials.All,
            Count = Math.Min(need, budget),
            NextTrialId = _nextTrialId,
        });

        var suggestions = response.Suggestions.Take(budget).ToList();
        var endpoint = ExternalPolicy.Endpoint(record.Config);
        try
        {
            for (var k = 0; k < suggestions.Count; k++)
            {
                SearchSpace.Validate(record.Config, suggestions[k].Parameters, endpoint is null ? $"the {record.Config.Algorithm} algorithm's suggestion" : $"suggestions[{k}]");
            }

            foreach (var update in response.TrialMetadataUpdates)
            {
                _ = _trials.TryFind(update.TrialId) ?? throw new InvalidArgumentException($"a metadata update names trial {update.TrialId}, which {Name} does not hold");
            }
        }
        catch (InvalidArgumentException e) when (endpoint is not null)
        {
            throw new ExternalPolicyException(VizierErrorCode.Internal, endpoint, $"The external policy service at '{endpoint}' sent a decision {Name} cannot use: {e.Message}");
        }

        // As the reference server does, the policy's trial metadata lands before the new trials are created.
        await Task.WhenAll(response.TrialMetadataUpdates.Select(async u =>
            Remember(await GrainFactory.GetGrain<ITrialGrain>(ResourceNames.Trial(Name, u.TrialId)).UpdateMetadataAsync(u.Items))));

        var firstId = await AllocateTrialIdsAsync(suggestions.Count, r => r with
        {
            PolicyExhausted = r.PolicyExhausted || response.Exhausted,
            Metadata = r.Metadata.With(response.MetadataUpdates),
        });

        // Suggestion k goes to the caller whose need it fills, in call order; the rest are queued.
        var owners = needs.SelectMany((n, caller) => Enumerable.Repeat(caller, n)).ToArray();
        var now = time.GetUtcNow();
        var trials = suggestions.Select((suggestion, k) => new Trial
        {
            StudyName = Name,
            Id = firstId + k,
            Parameters = suggestion.Parameters,
            Metadata = suggestion.Metadata,
            State = k < owners.Length ? TrialState.Active : TrialState.Requested,
            ClientId = k < owners.Length ? clientIds[owners[k]] : null,
            CreateTime = now,
            StartTime = k < owners.Length ? now : null,
        }).ToList();
        var stored = await Task.WhenAll(trials.Select(t => GrainFactory.GetGrain<ITrialGrain>(t.Name).CreateAsync(t)));
        for (var k = 0; k < stored.Length; k++)
        {
            Remember(stored[k]);
            Touch(stored[k].Id);
            if (k < owners.Length)
            {
                created[owners[k]].Add(stored[k]);
            }
        }

        return created;
    }

    private async Task<Trial> CompleteAsync(long trialId, Measurement? finalMeasurement, string? infeasibleReason)
    {
        var trial = Find(trialId);
        var completed = Remember(await GrainFactory.GetGrain<ITrialGrain>(trial.Name).CompleteAsync(finalMeasurement, infeasibleReason));
        _stopDecisions.Remove(trialId);
        _lastSeen.Remove(trialId);
        await CompleteIfFinishedAsync();
        return completed;
    }

    /// <summary>A study that will create no new trials and has none pending is COMPLETED.</summary>
    private async Task<StudyRecord> CompleteIfFinishedAsync()
    {
        var record = Record;
        if (record.State != StudyState.Active || !NoMoreNewTrials(record)
            || _trials.HasPending)
        {
            return record;
        }

        var reason = ExhaustionReason(record);
        LogStudyCompleted(logger, Name, reason);
        return await UpdateRecordAsync(r => r with { State = StudyState.Completed, StateReason = reason }, requireActive: false);
    }

    private bool NoMoreNewTrials(StudyRecord record) =>
        record.PolicyExhausted || (record.Config.MaxTrials is int max && _trials.Count >= max);

    private string ExhaustionReason(StudyRecord record) =>
        record.PolicyExhausted ? $"the {record.Config.Algorithm} algorithm has no new points to suggest"
        : record.Config.MaxTrials is int max && _trials.Count >= max ? $"the trial budget of {max} trials is used"
        : $"the {record.Config.Algorithm} algorithm suggested fewer points than asked";

    private StudyRecord RequireActive()
    {
        var record = Record;
        return record.State == StudyState.Active
            ? record
            : throw new FailedPreconditionException($"{Name} is {record.State.ToString().ToUpperInvariant()} and cannot be changed; set it ACTIVE first.");
    }

    private static void ValidateMeasurement(StudyConfig config, Measurement measurement, string what)
    {
        // Metrics the study does not declare (PyGlove's extra feedback metrics) are stored and ignored by the algorithms.
        foreach (var (name, value) in measurement.Metrics)
        {
            if (!double.IsFinite(value))
            {
                var declared = config.Metrics.Any(m => m.Name == name) ? "a metric of the study" : "a metric the study does not declare";
                throw new InvalidArgumentException($"{what}: metric '{name}' ({declared}) is {value}; values must be finite (report infeasibility explicitly).");
            }
        }

        if (measurement.Steps < 0)
        {
            throw new InvalidArgumentException($"{what}: steps must not be negative, was {measurement.Steps}.");
        }

        if (!double.IsFinite(measurement.ElapsedSeconds) || measurement.ElapsedSeconds < 0)
        {
            throw new InvalidArgumentException($"{what}: elapsed seconds must be a finite non-negative number, was {measurement.ElapsedSeconds}.");
        }
    }

    private async Task<StudyRecord> UpdateRecordAsync(Func<StudyRecord, StudyRecord> change, bool requireActive)
    {
        await _writeLock.WaitAsync();
        try
        {
            var updated = change(requireActive ? RequireActive() : Record);
            await SaveAsync(updated);
            return updated;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task SaveAsync(StudyRecord record)
    {
        var previous = state.State.Study;
        state.State.Study = record;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            state.State.Study = previous;
            if (e is InconsistentStateException)
            {
                // Storage holds something newer than this activation knows: reload it on the next call.
                DeactivateOnIdle();
            }

            throw;
        }

        StudyEventPublisher.StudySaved(ServiceProvider, Name, previous?.State, record.State, time.GetUtcNow());
    }

    private Trial Find(long trialId) =>
        _trials.TryFind(trialId) ?? throw new NotFoundException(ResourceNames.Trial(Name, trialId));

    /// <summary>Puts a trial into the index unless the index already holds a newer copy.</summary>
    private Trial Remember(Trial trial) => _trials.Remember(trial);

    private async Task LoadTrialsAsync(long nextTrialId)
    {
        var ids = Enumerable.Range(1, (int)Math.Max(0, nextTrialId - 1)).Select(i => (long)i).ToList();
        var loaded = new Trial?[ids.Count];
        await Parallel.ForEachAsync(ids, OnThisGrain, async (id, _) => loaded[id - 1] = await GrainFactory.GetGrain<ITrialGrain>(ResourceNames.Trial(Name, id)).GetAsync());
        _trials.Load(loaded.OfType<Trial>());
        LogTrialsLoaded(logger, Name, _trials.Count);
    }

    private StudyInfo ToInfo(StudyRecord record) => new()
    {
        Name = Name,
        Config = record.Config,
        State = record.State,
        StateReason = record.StateReason,
        CreateTime = record.CreateTime,
        Metadata = record.Metadata,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Study} with algorithm {Algorithm}")]
    private static partial void LogStudyCreated(ILogger logger, string study, string algorithm);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Study} and its {TrialCount} trials")]
    private static partial void LogStudyDeleted(ILogger logger, string study, int trialCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Study} completed: {Reason}")]
    private static partial void LogStudyCompleted(ILogger logger, string study, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Study} exists with a different config; returning the stored study: {Difference}")]
    private static partial void LogConfigMismatch(ILogger logger, string study, string difference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping {Trial}: {Reason}")]
    private static partial void LogTrialStopped(ILogger logger, string trial, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Trial}: worker {ClientId} silent for {Silence}; the trial goes back to the REQUESTED pool")]
    private static partial void LogLeaseExpired(ILogger logger, string trial, string clientId, TimeSpan silence);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "{Study}: the external policy service at {Endpoint} failed; the suggestion failed and nothing was created: {Failure}")]
    private static partial void LogExternalPolicyFailed(ILogger logger, string study, string endpoint, string failure);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Study} activated with {TrialCount} trials")]
    private static partial void LogTrialsLoaded(ILogger logger, string study, int trialCount);
}
