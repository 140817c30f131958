using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Trials added by hand (CreateTrial: imports, warm starts, copies). Concurrent calls are applied together: whoever
/// holds the study's gate creates every request waiting at that moment, with one id reservation and the trial writes in
/// parallel (so they share storage transactions), instead of one storage round trip per trial behind the gate.
/// Requests keep their arrival order, so ids follow it.
/// </summary>
internal sealed class TrialCreations(StudyContext study)
{
    /// <summary>At most this many requests per batch; later ones wait for the next holder of the gate.</summary>
    public const int MaxBatch = 1000;

    private readonly Queue<Pending> _waiting = new();

    /// <summary>Adds a trial; a repeated call with the same request key returns the trial the first one created.</summary>
    public async Task<Trial> CreateAsync(TrialRequest request)
    {
        var pending = new Pending(request);
        _waiting.Enqueue(pending);
        using (await study.Gate.ExclusiveAsync())
        {
            // An earlier holder may have created this request with its own batch already.
            if (!pending.Result.Task.IsCompleted)
            {
                var batch = new List<Pending>();
                while (batch.Count < MaxBatch && _waiting.TryDequeue(out var next))
                {
                    batch.Add(next);
                }

                await CreateBatchAsync(batch);
            }
        }

        return await pending.Result.Task;
    }

    private async Task CreateBatchAsync(List<Pending> batch)
    {
        var accepted = new List<Pending>();
        var byKey = new Dictionary<string, Pending>(StringComparer.Ordinal);
        var duplicates = new List<(Pending Pending, Pending First)>();
        try
        {
            var record = study.RequireActive();
            var remaining = StudyCompletion.RemainingBudget(record, study.Trials.Count);
            var now = study.Time.GetUtcNow();
            foreach (var pending in batch)
            {
                var request = pending.Request;
                if (request.RequestKey is { Length: > 0 } key)
                {
                    if (study.Trials.TryFindByRequestKey(key) is { } created)
                    {
                        pending.Result.TrySetResult(await study.WholeAsync(created));
                        continue;
                    }

                    if (byKey.TryGetValue(key, out var first))
                    {
                        duplicates.Add((pending, first));
                        continue;
                    }
                }

                try
                {
                    Validate(record.Config, request);
                }
                catch (VizierException e)
                {
                    pending.Result.TrySetException(e);
                    continue;
                }

                if (remaining == 0)
                {
                    pending.Result.TrySetException(new FailedPreconditionException(
                        $"{study.Name} holds {study.Trials.Count + accepted.Count} trials, its budget of {record.Config.MaxTrials}; no trial can be added."));
                    continue;
                }

                remaining--;
                if (request.RequestKey is { } requestKey)
                {
                    byKey[requestKey] = pending;
                }

                accepted.Add(pending);
            }

            if (accepted.Count > 0)
            {
                await StoreAsync(record, accepted, now);
            }
        }
        catch (Exception e)
        {
            // The study is not active, or its id reservation or completion could not be written.
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(e);
            }
        }

        foreach (var (pending, first) in duplicates)
        {
            _ = first.Result.Task.ContinueWith(t => pending.Result.TrySetFromTask(t), TaskScheduler.Default);
        }
    }

    private async Task StoreAsync(StudyRecord record, List<Pending> accepted, DateTimeOffset now)
    {
        await study.WriteRecordAsync(study.Ids.Reserve(record, accepted.Count));
        var firstId = study.Ids.Take(accepted.Count);
        var trials = accepted.Select((a, i) => NewTrial(a.Request, firstId + i, now)).ToList();
        var (stored, failure) = await study.CreateTrialsAsync(trials);
        var storedById = stored.ToDictionary(t => t.Id, t => study.Remember(t));
        for (var i = 0; i < trials.Count; i++)
        {
            if (!storedById.ContainsKey(trials[i].Id))
            {
                study.SkippedIds.Add(trials[i].Id);
                accepted[i].Result.TrySetException(failure!);
            }
        }

        // Before any caller hears of its trial: a completion that fails to be written fails the calls it finished.
        await study.FinishIfDoneAsync();
        for (var i = 0; i < trials.Count; i++)
        {
            if (storedById.TryGetValue(trials[i].Id, out var trial))
            {
                accepted[i].Result.TrySetResult(trial);
            }
        }
    }

    private static void Validate(StudyConfig config, TrialRequest request)
    {
        SearchSpace.Validate(config, request.Parameters, "new trial");
        if (request.FinalMeasurement is { } final)
        {
            MeasurementValidator.Validate(config, final, "new trial's final measurement");
        }

        if (!request.Measurements.IsEmpty && request.FinalMeasurement is null && request.InfeasibleReason is null)
        {
            throw new InvalidArgumentException("new trial: intermediate measurements can be imported only with a SUCCEEDED or INFEASIBLE trial (a final measurement or an infeasible reason).");
        }

        foreach (var (m, i) in request.Measurements.Select((m, i) => (m, i)))
        {
            MeasurementValidator.Validate(config, m ?? throw new InvalidArgumentException($"new trial's measurements[{i}] is missing."), $"new trial's measurements[{i}]");
        }

        if (request.InfeasibleReason is { Length: 0 })
        {
            throw new InvalidArgumentException("new trial: an infeasible trial needs a non-empty reason.");
        }

        if (request.RequestKey is { Length: 0 })
        {
            throw new InvalidArgumentException("new trial: the request key must not be empty (leave it out instead).");
        }
    }

    private Trial NewTrial(TrialRequest request, long id, DateTimeOffset now)
    {
        var completed = request.FinalMeasurement is not null || request.InfeasibleReason is not null;
        return new Trial
        {
            StudyName = study.Name,
            Id = id,
            Parameters = request.Parameters,
            State = request.InfeasibleReason is not null ? TrialState.Infeasible : completed ? TrialState.Succeeded : TrialState.Requested,
            Measurements = request.Measurements,
            FinalMeasurement = request.FinalMeasurement,
            InfeasibleReason = request.InfeasibleReason,
            Metadata = request.RequestKey is { } requestKey ? request.Metadata.With(TrialIndex.RequestKeyNamespace, TrialIndex.RequestKeyKey, requestKey) : request.Metadata,
            CreateTime = now,
            StartTime = completed ? now : null,
            EndTime = completed ? now : null,
        };
    }

    private sealed class Pending(TrialRequest request)
    {
        public TrialRequest Request { get; } = request;

        public TaskCompletionSource<Trial> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
