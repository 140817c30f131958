using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.LoadGenerator;

/// <summary>
/// The same worker loop as <see cref="LoadWorker"/>, over OSS Vizier's gRPC protocol as a Python worker would run it:
/// its own HTTP/2 connection, SuggestTrials with count 1, CompleteTrial.
/// </summary>
public static class GrpcLoadWorker
{
    /// <summary>Runs until the study stops handing out trials (FAILED_PRECONDITION once its budget is complete).</summary>
    public static async Task<WorkerLog> RunAsync(string endpoint, string studyName, string clientId, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "http://" + endpoint);
        var client = new VizierService.VizierServiceClient(channel);
        var log = new WorkerLog { ClientId = clientId, Study = studyName };
        var clock = new Stopwatch();
        while (!cancellationToken.IsCancellationRequested)
        {
            Trial? trial;
            clock.Restart();
            try
            {
                var operation = await client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = studyName, SuggestionCount = 1, ClientId = clientId }, cancellationToken: cancellationToken);
                if (operation.Error is { } error)
                {
                    log.Errors.Add($"suggest: operation error {error.Code}: {error.Message}");
                    await Task.Delay(100, cancellationToken);
                    continue;
                }

                trial = operation.Response.Unpack<SuggestTrialsResponse>().Trials.FirstOrDefault();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                break;
            }
            catch (RpcException e)
            {
                log.Errors.Add($"suggest: {e.StatusCode}: {e.Status.Detail}");
                await Task.Delay(100, cancellationToken);
                continue;
            }

            log.SuggestMs.Add(clock.Elapsed.TotalMilliseconds);
            if (trial is null)
            {
                // Every trial is handed out but not all are complete yet: ask again shortly.
                await Task.Delay(20, cancellationToken);
                continue;
            }

            var id = long.Parse(trial.Id, System.Globalization.CultureInfo.InvariantCulture);
            log.SuggestByTrial.Add((id, log.SuggestMs[^1]));
            if (!log.HandedOut.Contains(id))
            {
                log.HandedOut.Add(id);
            }

            var x = trial.Parameters.Single(p => p.ParameterId == "x").Value.NumberValue;
            var y = trial.Parameters.Single(p => p.ParameterId == "y").Value.NumberValue;
            var value = (x * x) + (y * y);
            var complete = new CompleteTrialRequest
            {
                Name = trial.Name,
                FinalMeasurement = new Measurement { Metrics = { new Measurement.Types.Metric { MetricId = "loss", Value = value } } },
            };
            while (!cancellationToken.IsCancellationRequested)
            {
                clock.Restart();
                try
                {
                    await client.CompleteTrialAsync(complete, cancellationToken: cancellationToken);
                    log.CompleteMs.Add(clock.Elapsed.TotalMilliseconds);
                    log.Acknowledged[id] = value;
                    break;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
                {
                    log.Errors.Add($"complete {id}: {e.Status.Detail}");
                    break;
                }
                catch (RpcException e)
                {
                    // Retrying is safe: an identical repeated completion is accepted once.
                    log.Errors.Add($"complete {id}: {e.StatusCode}: {e.Status.Detail}");
                    await Task.Delay(100, cancellationToken);
                }
            }
        }

        return log;
    }
}
