using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.LoadGenerator;

/// <summary>The worker loop, timed: suggest 1, evaluate a cheap objective, complete (through either client).</summary>
public static class LoadWorker
{
    /// <summary>How long a worker waits before asking again when every trial is handed out but not all are complete.</summary>
    public static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Runs until the study's budget is used. Calls go through <paramref name="retry"/>, the client library's retry
    /// pipeline (passing faults only, jittered exponential backoff, a total time limit); every retry it makes is
    /// counted in <see cref="WorkerLog.Errors"/>. A call that fails for good (not a passing fault, or past the time
    /// limit) is recorded in <see cref="WorkerLog.Failures"/> and ends this worker.
    /// </summary>
    public static async Task<WorkerLog> RunAsync(ILoadTarget study, string clientId, VizierRetryPipeline retry, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentNullException.ThrowIfNull(time);
        var log = new WorkerLog { ClientId = clientId, Study = study.Study };
        Action<Exception, TimeSpan> Retried(string call) => (e, _) => log.Errors.Add($"{call}: {e.GetType().Name}: {e.Message}");

        // Latencies are those of the attempt that succeeded, as a worker without retries would see them.
        var attemptStart = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            (OfferedTrial? Trial, bool Finished) result;
            try
            {
                result = await retry.ExecuteAsync(
                    ct =>
                    {
                        attemptStart = time.GetTimestamp();
                        return study.SuggestAsync(clientId, ct);
                    },
                    Retried("suggest"),
                    cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Failures.Add($"suggest: {e.GetType().Name}: {e.Message}");
                break;
            }

            log.SuggestMs.Add(time.GetElapsedTime(attemptStart).TotalMilliseconds);
            if (result.Trial is not { } trial)
            {
                if (result.Finished)
                {
                    break;
                }

                // Every trial is handed out but not all are complete yet: ask again shortly.
                await Task.Delay(PollDelay, time, cancellationToken);
                continue;
            }

            log.SuggestByTrial.Add((trial.Id, log.SuggestMs[^1]));
            if (!log.HandedOut.Contains(trial.Id))
            {
                log.HandedOut.Add(trial.Id);
            }

            var value = (trial.X * trial.X) + (trial.Y * trial.Y);
            string? refusal;
            try
            {
                // Retrying is safe: an identical repeated completion is accepted once.
                refusal = await retry.ExecuteAsync(
                    ct =>
                    {
                        attemptStart = time.GetTimestamp();
                        return study.CompleteAsync(trial, value, ct);
                    },
                    Retried($"complete {trial.Id}"),
                    cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Failures.Add($"complete {trial.Id}: {e.GetType().Name}: {e.Message}");
                break;
            }

            if (refusal is not null)
            {
                log.Errors.Add($"complete {trial.Id}: {refusal}");
            }
            else
            {
                log.CompleteMs.Add(time.GetElapsedTime(attemptStart).TotalMilliseconds);
                log.Acknowledged[trial.Id] = value;
            }
        }

        return log;
    }

    /// <summary>The study every load worker uses: two floats, RANDOM_SEARCH unless told otherwise, a budget of T trials.</summary>
    public static StudyConfig Config(string algorithm, int trials) => new()
    {
        Parameters = [ParameterConfig.Double("x", -5, 5), ParameterConfig.Double("y", -5, 5)],
        Metrics = [MetricConfig.Objective("loss", MetricGoal.Minimize)],
        Algorithm = algorithm,
        MaxTrials = trials,
        Seed = 1,
    };
}
