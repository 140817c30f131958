using Grpc.Core;
using Grpc.Net.Client;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.LoadGenerator;

/// <summary>
/// OSS Vizier's gRPC protocol as a Python worker would use it: its own HTTP/2 connection, SuggestTrials with count 1,
/// CompleteTrial. An UNAVAILABLE answer (the front door's mapping of every passing cluster fault) or a lost connection
/// is thrown as an unavailable <see cref="VizierOrleans.Grains.Interfaces.Model.VizierException"/>, the passing fault the shared retry pipeline retries.
/// </summary>
public sealed class GrpcLoadTarget(string endpoint, string study) : ILoadTarget, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "http://" + endpoint);

    /// <inheritdoc />
    public string Study => study;

    private VizierService.VizierServiceClient Client => new(_channel);

    /// <inheritdoc />
    public async Task<(OfferedTrial? Trial, bool Finished)> SuggestAsync(string clientId, CancellationToken cancellationToken)
    {
        try
        {
            var operation = await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study, SuggestionCount = 1, ClientId = clientId }, cancellationToken: cancellationToken);
            if (operation.Error is { } error)
            {
                throw error.Code == (int)StatusCode.Unavailable
                    ? new VizierOrleans.Grains.Interfaces.Model.VizierException(VizierOrleans.Grains.Interfaces.Model.VizierErrorCode.Unavailable, $"operation error {error.Code}: {error.Message}")
                    : new InvalidOperationException($"operation error {error.Code}: {error.Message}");
            }

            var trial = operation.Response.Unpack<SuggestTrialsResponse>().Trials.FirstOrDefault();
            return trial is null
                ? (null, false)
                : (new OfferedTrial(long.Parse(trial.Id, System.Globalization.CultureInfo.InvariantCulture), Value(trial, "x"), Value(trial, "y")), false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
        {
            // The study is no longer ACTIVE: its budget is complete.
            return (null, true);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
        {
            throw Unavailable(e);
        }
    }

    /// <inheritdoc />
    public async Task<string?> CompleteAsync(OfferedTrial trial, double value, CancellationToken cancellationToken)
    {
        try
        {
            await Client.CompleteTrialAsync(
                new CompleteTrialRequest
                {
                    Name = $"{study}/trials/{trial.Id}",
                    FinalMeasurement = new Measurement { Metrics = { new Measurement.Types.Metric { MetricId = "loss", Value = value } } },
                },
                cancellationToken: cancellationToken);
            return null;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
        {
            return e.Status.Detail;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
        {
            throw Unavailable(e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();

    private static VizierOrleans.Grains.Interfaces.Model.VizierException Unavailable(RpcException e) => new(VizierOrleans.Grains.Interfaces.Model.VizierErrorCode.Unavailable, $"UNAVAILABLE: {e.Status.Detail}", e);

    private static double Value(Trial trial, string parameter) => trial.Parameters.Single(p => p.ParameterId == parameter).Value.NumberValue;
}
