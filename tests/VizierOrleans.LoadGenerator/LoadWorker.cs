using System.Diagnostics;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.LoadGenerator;

/// <summary>The worker loop, timed: suggest 1, evaluate a cheap objective, complete (through either client).</summary>
public static class LoadWorker
{
    /// <summary>Runs until the study's budget is used; failed calls are logged and retried after a short pause.</summary>
    public static async Task<WorkerLog> RunAsync(ILoadTarget study, string clientId, CancellationToken cancellationToken)
    {
        var log = new WorkerLog { ClientId = clientId, Study = study.Study };
        var clock = new Stopwatch();
        while (!cancellationToken.IsCancellationRequested)
        {
            (OfferedTrial? Trial, bool Finished) result;
            clock.Restart();
            try
            {
                result = await study.SuggestAsync(clientId, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Errors.Add($"suggest: {e.GetType().Name}: {e.Message}");
                await Task.Delay(100, cancellationToken);
                continue;
            }

            log.SuggestMs.Add(clock.Elapsed.TotalMilliseconds);
            if (result.Trial is not { } trial)
            {
                if (result.Finished)
                {
                    break;
                }

                // Every trial is handed out but not all are complete yet: ask again shortly.
                await Task.Delay(20, cancellationToken);
                continue;
            }

            log.SuggestByTrial.Add((trial.Id, log.SuggestMs[^1]));
            if (!log.HandedOut.Contains(trial.Id))
            {
                log.HandedOut.Add(trial.Id);
            }

            var value = (trial.X * trial.X) + (trial.Y * trial.Y);
            while (!cancellationToken.IsCancellationRequested)
            {
                clock.Restart();
                try
                {
                    if (await study.CompleteAsync(trial, value, cancellationToken) is { } refusal)
                    {
                        log.Errors.Add($"complete {trial.Id}: {refusal}");
                    }
                    else
                    {
                        log.CompleteMs.Add(clock.Elapsed.TotalMilliseconds);
                        log.Acknowledged[trial.Id] = value;
                    }

                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Retrying is safe: an identical repeated completion is accepted once.
                    log.Errors.Add($"complete {trial.Id}: {e.GetType().Name}: {e.Message}");
                    await Task.Delay(100, cancellationToken);
                }
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
