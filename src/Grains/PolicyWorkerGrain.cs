using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;

namespace VizierOrleans.Grains;

/// <summary>
/// Runs algorithms and stopping rules. A stateless worker: Orleans keeps several activations per silo, so heavy
/// computations run in parallel and never occupy a study grain.
/// </summary>
[StatelessWorker]
internal sealed class PolicyWorkerGrain(AlgorithmCatalog catalog, IServiceProvider services) : Grain, IPolicyWorkerGrain
{
    /// <inheritdoc />
    public Task<PolicySuggestResponse> SuggestAsync(PolicySuggestRequest request, CancellationToken cancellationToken = default)
    {
        if (ExternalPolicy.Endpoint(request.Config) is { } endpoint)
        {
            return External(endpoint).SuggestAsync(endpoint, request, cancellationToken);
        }

        var algorithm = catalog.Create(request.Config.Algorithm);
        var outcome = algorithm.Suggest(new SuggestionContext
        {
            Config = request.Config,
            Trials = request.Trials,
            StudyMetadata = request.StudyMetadata,
            Count = request.Count,
            NextTrialId = request.NextTrialId,
            Seed = request.Config.Seed ?? SeededRandom.FromString(request.StudyName),
        });
        return Task.FromResult(new PolicySuggestResponse
        {
            Suggestions = [.. outcome.Suggestions.Select(PolicySuggestion.Of)],
            MetadataUpdates = [.. outcome.MetadataUpdates],
            Exhausted = outcome.Exhausted,
        });
    }

    /// <inheritdoc />
    public Task<PolicyStopResponse> EarlyStopAsync(PolicyStopRequest request, CancellationToken cancellationToken = default)
    {
        if (ExternalPolicy.Endpoint(request.Config) is { } endpoint)
        {
            return External(endpoint).EarlyStopAsync(endpoint, request, cancellationToken);
        }

        var policy = AlgorithmCatalog.CreateStoppingPolicy(request.Config.Stopping.Rule);
        return Task.FromResult(new PolicyStopResponse { Decisions = [.. policy.Decide(request.Config, request.Trials, request.TrialIds)] });
    }

    private IExternalPolicyClient External(string endpoint) =>
        services.GetService<IExternalPolicyClient>()
        ?? throw new FailedPreconditionException($"The study names the external policy endpoint '{endpoint}', but this cluster has no external-policy client (the gRPC front door is not configured).");
}
