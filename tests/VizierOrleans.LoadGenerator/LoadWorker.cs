using System.Diagnostics;
using VizierOrleans.Client;
using VizierOrleans.Model;

namespace VizierOrleans.LoadGenerator;

/// <summary>The worker loop of the client library, timed: suggest 1, evaluate a cheap objective, complete.</summary>
public static class LoadWorker
{
    /// <summary>Runs until the study's budget is used; failed calls are logged and retried after a short pause.</summary>
    public static async Task<WorkerLog> RunAsync(StudyHandle study, string clientId, CancellationToken cancellationToken)
    {
        var log = new WorkerLog { ClientId = clientId, Study = study.Name };
        var clock = new Stopwatch();
        while (!cancellationToken.IsCancellationRequested)
        {
            SuggestResult result;
            clock.Restart();
            try
            {
                result = await study.SuggestDetailedAsync(1, clientId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Errors.Add($"suggest: {e.GetType().Name}: {e.Message}");
                await Task.Delay(100, cancellationToken);
                continue;
            }

            log.SuggestMs.Add(clock.Elapsed.TotalMilliseconds);
            if (result.Trials.IsEmpty)
            {
                if (result.Exhausted)
                {
                    break;
                }

                await Task.Delay(20, cancellationToken);
                continue;
            }

            var trial = result.Trials[0];
            log.SuggestByTrial.Add((trial.Id, log.SuggestMs[^1]));
            if (!log.HandedOut.Contains(trial.Id))
            {
                log.HandedOut.Add(trial.Id);
            }

            var x = trial.Parameters["x"].AsDouble();
            var y = trial.Parameters["y"].AsDouble();
            var value = (x * x) + (y * y);
            while (!cancellationToken.IsCancellationRequested)
            {
                clock.Restart();
                try
                {
                    await study.Trial(trial.Id).CompleteAsync(Measurement.Of("loss", value));
                    log.CompleteMs.Add(clock.Elapsed.TotalMilliseconds);
                    log.Acknowledged[trial.Id] = value;
                    break;
                }
                catch (FailedPreconditionException e)
                {
                    // Completed by someone else (lease expiry) or study finished: nothing to retry.
                    log.Errors.Add($"complete {trial.Id}: {e.Message}");
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
