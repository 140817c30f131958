using System.Collections.Immutable;
using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;
using VizierOrleans.Grpc.Mapping;
using Metadata = VizierOrleans.Grains.Interfaces.Model.Metadata;
using Wire = VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Grpc.Pythia;

/// <summary>
/// Calls an OSS Vizier PythiaService (plaintext HTTP/2 at <c>host:port</c>) for studies that name one in their
/// PYTHIA_ENDPOINT metadata, as the reference server does. The policy service may call back into the front door
/// (GetStudy, ListTrials) with the study name it receives as the descriptor's guid. Every failure of the policy is an
/// <see cref="ExternalPolicyException"/> naming the endpoint: the suggest operation reports it, nothing is created.
/// </summary>
internal sealed partial class PythiaPolicyClient : IExternalPolicyClient, IDisposable
{
    private readonly GrpcFrontDoorOptions _options;
    private readonly PolicyEndpointAllowList _allowList;
    private readonly PolicyChannelCache _channels;
    private readonly ILogger _logger;

    /// <summary>Creates the client with the front door's settings (deadline, allow-list, channel bounds).</summary>
    public PythiaPolicyClient(IOptions<GrpcFrontDoorOptions> options, PolicyEndpointAllowList allowList, ILogger<PythiaPolicyClient>? logger = null, TimeProvider? time = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _options = options.Value;
        _allowList = allowList;
        _channels = new PolicyChannelCache(_options, time ?? TimeProvider.System);
    }

    /// <summary>The endpoints this client holds an open channel to.</summary>
    public IReadOnlyCollection<string> OpenChannels => _channels.Endpoints;

    /// <inheritdoc />
    public async Task<PolicySuggestResponse> SuggestAsync(string endpoint, PolicySuggestRequest request, CancellationToken cancellationToken = default)
    {
        var call = new Wire.SuggestRequest
        {
            Algorithm = request.Config.Algorithm,
            StudyDescriptor = Descriptor(request.StudyName, request.Config, request.StudyMetadata, request.Trials),
            Count = request.Count,
        };
        var decision = await CallAsync(endpoint, request.StudyName, "Suggest", (client, deadline) => client.SuggestAsync(call, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
        return Decode(endpoint, request.StudyName, "Suggest", () =>
        {
            // Every suggestion counts, also beyond the asked count: the study keeps the surplus as REQUESTED trials.
            var suggestions = decision.Suggestions.Select((s, i) => new PolicySuggestion
            {
                Parameters = TrialMapper.ParametersFromWire(s.Parameters, request.Config, $"suggestions[{i}].parameters"),
                Metadata = Metadata.Empty.With(MetadataMapper.FromWire(s.Metadata, $"suggestions[{i}].metadata")),
            }).ToImmutableList();
            var (study, trials) = MetadataUpdates(decision.Metadata);
            return new PolicySuggestResponse { Suggestions = suggestions, MetadataUpdates = study, TrialMetadataUpdates = trials };
        });
    }

    /// <inheritdoc />
    public async Task<PolicyStopResponse> EarlyStopAsync(string endpoint, PolicyStopRequest request, CancellationToken cancellationToken = default)
    {
        var call = new Wire.EarlyStopRequest
        {
            Algorithm = request.Config.Algorithm,
            StudyDescriptor = Descriptor(request.StudyName, request.Config, request.StudyMetadata, request.Trials),
        };
        call.TrialIds.AddRange(request.TrialIds.Select(id => checked((int)id)));
        var decisions = await CallAsync(endpoint, request.StudyName, "EarlyStop", (client, deadline) => client.EarlyStopAsync(call, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
        return Decode(endpoint, request.StudyName, "EarlyStop", () =>
        {
            var byId = decisions.Decisions.GroupBy(d => (long)d.Id).ToDictionary(g => g.Key, g => g.Last());
            var (study, trials) = MetadataUpdates(decisions.Metadata);
            return new PolicyStopResponse
            {
                Decisions = [.. request.TrialIds.Select(id => byId.TryGetValue(id, out var d)
                    ? new StopDecision(id, d.ShouldStop, string.IsNullOrEmpty(d.Reason) ? $"decided by the policy service at {endpoint}" : d.Reason)
                    : new StopDecision(id, false, $"the policy service at {endpoint} made no decision"))],
                MetadataUpdates = study,
                TrialMetadataUpdates = trials,
            };
        });
    }

    /// <inheritdoc />
    public void Dispose() => _channels.Dispose();

    private async Task<T> CallAsync<T>(string endpoint, string study, string method, Func<Wire.PythiaService.PythiaServiceClient, DateTime, Task<T>> call, CancellationToken cancellationToken)
    {
        global::Grpc.Net.Client.GrpcChannel channel;
        try
        {
            channel = await _channels.GetAsync(endpoint, () => _allowList.CheckAsync(endpoint, $"the study's {ExternalPolicy.EndpointKey}", cancellationToken));
        }
        catch (VizierException e) when (e is not ExternalPolicyException)
        {
            LogPolicyFailed(_logger, study, endpoint, method, e.Message);
            throw new ExternalPolicyException(e.Code, endpoint, e.Message);
        }

        if (channel.State != ConnectivityState.Ready)
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(_options.ExternalPolicyConnectTimeout);
            try
            {
                await channel.ConnectAsync(connect.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var failure = new ExternalPolicyException(VizierErrorCode.Unavailable, endpoint, $"The external policy service at '{endpoint}' could not be reached in {method}: it accepted no connection within {_options.ExternalPolicyConnectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (Vizier:Grpc:ExternalPolicyConnectTimeout).");
                LogPolicyFailed(_logger, study, endpoint, method, failure.Message);
                throw failure;
            }
        }

        try
        {
            return await call(new Wire.PythiaService.PythiaServiceClient(channel), DateTime.UtcNow + _options.ExternalPolicyTimeout);
        }
        catch (RpcException e)
        {
            // As the reference server reports a policy's failure: INTERNAL with the policy's own message. Unreachable
            // and too slow keep their own codes, so a caller can tell a policy that is down from one that raised.
            var (code, what) = e.StatusCode switch
            {
                StatusCode.Unavailable => (VizierErrorCode.Unavailable, "could not be reached"),
                StatusCode.DeadlineExceeded => (VizierErrorCode.DeadlineExceeded, $"did not answer within {_options.ExternalPolicyTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (Vizier:Grpc:ExternalPolicyTimeout)"),
                _ => (VizierErrorCode.Internal, "failed"),
            };
            var failure = new ExternalPolicyException(code, endpoint, $"The external policy service at '{endpoint}' {what} in {method}: {e.StatusCode}: {e.Status.Detail}");
            LogPolicyFailed(_logger, study, endpoint, method, failure.Message);
            throw failure;
        }
    }

    private T Decode<T>(string endpoint, string study, string method, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (VizierException e) when (e is not ExternalPolicyException)
        {
            var failure = new ExternalPolicyException(VizierErrorCode.Internal, endpoint, $"The external policy service at '{endpoint}' sent a {method} decision the study cannot use: {e.Message}");
            LogPolicyFailed(_logger, study, endpoint, method, failure.Message);
            throw failure;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "{Study}: the external policy service at {Endpoint} failed {Method}: {Failure}")]
    private static partial void LogPolicyFailed(ILogger logger, string study, string endpoint, string method, string failure);

    private static Wire.StudyDescriptor Descriptor(string studyName, StudyConfig config, Metadata metadata, IReadOnlyList<Trial> trials)
    {
        // The problem statement as the study holds it now: its search space, metrics and current metadata.
        var spec = StudyMapper.SpecOf(config);
        var problem = new Wire.ProblemStatement();
        problem.SearchSpace.AddRange(spec.Parameters);
        problem.MetricInformation.AddRange(spec.Metrics);
        problem.Metadata.AddRange(MetadataMapper.ToWire(metadata));
        return new Wire.StudyDescriptor
        {
            Config = problem,
            Guid = studyName,
            MaxTrialId = trials.Count == 0 ? 0 : checked((int)trials.Max(t => t.Id)),
        };
    }

    private static (ImmutableList<MetadataItem> Study, ImmutableList<TrialMetadataUpdate> Trials) MetadataUpdates(IEnumerable<Wire.UnitMetadataUpdate> updates)
    {
        var study = ImmutableList.CreateBuilder<MetadataItem>();
        var trials = new Dictionary<long, ImmutableList<MetadataItem>.Builder>();
        foreach (var (update, i) in updates.Select((u, i) => (u, i)))
        {
            var item = MetadataMapper.FromWire(update.Metadatum ?? throw new InvalidArgumentException($"metadata[{i}].metadatum is missing."), $"metadata[{i}].metadatum");
            if (!update.HasTrialId)
            {
                study.Add(item);
            }
            else if (long.TryParse(update.TrialId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                (trials.TryGetValue(id, out var list) ? list : trials[id] = ImmutableList.CreateBuilder<MetadataItem>()).Add(item);
            }
            else
            {
                throw new InvalidArgumentException($"metadata[{i}].trial_id '{update.TrialId}' is not a trial id.");
            }
        }

        return (study.ToImmutable(), [.. trials.Select(t => new TrialMetadataUpdate { TrialId = t.Key, Items = t.Value.ToImmutable() })]);
    }
}
