using System.Collections.Concurrent;
using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using VizierOrleans.Grpc.Mapping;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;
using Wire = VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Grpc.Pythia;

/// <summary>
/// Calls an OSS Vizier PythiaService (plaintext HTTP/2 at <c>host:port</c>) for studies that name one in their
/// PYTHIA_ENDPOINT metadata, as the reference server does. The policy service may call back into the front door
/// (GetStudy, ListTrials) with the study name it receives as the descriptor's guid.
/// </summary>
internal sealed class PythiaPolicyClient(IOptions<GrpcFrontDoorOptions> options) : IExternalPolicyClient, IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<PolicySuggestResponse> SuggestAsync(string endpoint, PolicySuggestRequest request, CancellationToken cancellationToken = default)
    {
        var call = new Wire.SuggestRequest
        {
            Algorithm = request.Config.Algorithm,
            StudyDescriptor = Descriptor(request.StudyName, request.Config, request.StudyMetadata, request.Trials),
            Count = request.Count,
        };
        var decision = await CallAsync(endpoint, "Suggest", client => client.SuggestAsync(call, deadline: Deadline, cancellationToken: cancellationToken).ResponseAsync);
        var suggestions = decision.Suggestions
            .Take(request.Count)
            .Select((s, i) => TrialMapper.ParametersFromWire(s.Parameters, request.Config, $"the policy service at {endpoint}: suggestions[{i}].parameters"))
            .ToImmutableList();
        return new PolicySuggestResponse
        {
            Suggestions = suggestions,
            MetadataUpdates = StudyMetadata(decision.Metadata, endpoint),
        };
    }

    /// <inheritdoc />
    public async Task<ImmutableList<StopDecision>> EarlyStopAsync(string endpoint, PolicyStopRequest request, CancellationToken cancellationToken = default)
    {
        var call = new Wire.EarlyStopRequest
        {
            Algorithm = request.Config.Algorithm,
            // A stop request carries no current study metadata; the policy sees the metadata the study was created with.
            StudyDescriptor = Descriptor(request.StudyName, request.Config, request.Config.Metadata, request.Trials),
        };
        call.TrialIds.AddRange(request.TrialIds.Select(id => checked((int)id)));
        var decisions = await CallAsync(endpoint, "EarlyStop", client => client.EarlyStopAsync(call, deadline: Deadline, cancellationToken: cancellationToken).ResponseAsync);
        var byId = decisions.Decisions.GroupBy(d => (long)d.Id).ToDictionary(g => g.Key, g => g.Last());
        return [.. request.TrialIds.Select(id => byId.TryGetValue(id, out var d)
            ? new StopDecision(id, d.ShouldStop, string.IsNullOrEmpty(d.Reason) ? $"decided by the policy service at {endpoint}" : d.Reason)
            : new StopDecision(id, false, $"the policy service at {endpoint} made no decision"))];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }

    private DateTime Deadline => DateTime.UtcNow + options.Value.ExternalPolicyTimeout;

    private async Task<T> CallAsync<T>(string endpoint, string method, Func<Wire.PythiaService.PythiaServiceClient, Task<T>> call)
    {
        var channel = _channels.GetOrAdd(endpoint, e => GrpcChannel.ForAddress(e.Contains("://", StringComparison.Ordinal) ? e : "http://" + e));
        try
        {
            return await call(new Wire.PythiaService.PythiaServiceClient(channel));
        }
        catch (RpcException e)
        {
            // Nothing was created yet: the study grain fails the suggest call and keeps its state as it was.
            var code = e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded ? VizierErrorCode.Unavailable : VizierErrorCode.FailedPrecondition;
            throw new VizierException(code, $"The external policy service at '{endpoint}' failed {method}: {e.StatusCode}: {e.Status.Detail}");
        }
    }

    private static Wire.StudyDescriptor Descriptor(string studyName, StudyConfig config, Grains.Interfaces.Model.Metadata metadata, IReadOnlyList<Trial> trials)
    {
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

    // The policy's study-level metadata is stored with the study; trial-level items have no place in a suggestion.
    private static ImmutableList<MetadataItem> StudyMetadata(IEnumerable<Wire.UnitMetadataUpdate> updates, string endpoint) =>
        [.. updates.Where(u => !u.HasTrialId && u.Metadatum is not null)
            .Select((u, i) => MetadataMapper.FromWire(u.Metadatum, $"the policy service at {endpoint}: metadata[{i}]"))];
}
