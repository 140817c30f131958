using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;
using VizierOrleans.Grains.Telemetry;

namespace VizierOrleans.Grains;

/// <summary>
/// Runs algorithms and stopping rules, next to the study that asks (a stateless worker is always local), so heavy
/// computations never occupy a study grain; <see cref="PolicyComputeLimiter"/> bounds how many run at once.
/// </summary>
/// <remarks>
/// One reentrant activation per silo, not several: Orleans routes a call's cancellation to the grain id, and a
/// stateless worker with several activations hands it to an idle one, so the running computation would never see its
/// study's deadline (dotnet/orleans#9877). With one activation the cancellation reaches the call it names; reentrancy
/// lets that activation serve many calls at once (the computations run on the thread pool, external policies await).
/// </remarks>
[StatelessWorker(1), Reentrant, GrainType("policyworker")]
internal sealed class PolicyWorkerGrain(AlgorithmCatalog catalog, PolicyComputeLimiter limiter, IServiceProvider services) : Grain, IPolicyWorkerGrain
{
    /// <inheritdoc />
    public async Task<PolicySuggestResponse> SuggestAsync(PolicySuggestRequest request, CancellationToken cancellationToken = default)
    {
        if (ExternalPolicy.Endpoint(request.Config) is { } endpoint)
        {
            return await External(endpoint).SuggestAsync(endpoint, request, cancellationToken);
        }

        // At most N computations per silo; one whose study gave up (the token) leaves the queue without running.
        var algorithm = catalog.Create(request.Config.Algorithm);
        var outcome = await limiter.RunAsync(
            ct => algorithm.Suggest(new SuggestionContext
            {
                Config = request.Config,
                Trials = request.Trials,
                StudyMetadata = request.StudyMetadata,
                Count = request.Count,
                NextTrialId = request.NextTrialId,
                Seed = request.Config.Seed ?? SeededRandom.FromString(request.StudyName),
                CancellationToken = ct,
            }),
            cancellationToken);
        return new PolicySuggestResponse
        {
            Suggestions = [.. outcome.Suggestions.Select(PolicySuggestion.Of)],
            MetadataUpdates = [.. outcome.MetadataUpdates],
            Exhausted = outcome.Exhausted,
        };
    }

    /// <inheritdoc />
    public async Task<PolicyStopResponse> EarlyStopAsync(PolicyStopRequest request, CancellationToken cancellationToken = default)
    {
        if (ExternalPolicy.Endpoint(request.Config) is { } endpoint)
        {
            return await External(endpoint).EarlyStopAsync(endpoint, request, cancellationToken);
        }

        var policy = AlgorithmCatalog.CreateStoppingPolicy(request.Config.Stopping.Rule);
        var decisions = await limiter.RunAsync(_ => policy.Decide(request.Config, request.Trials, request.TrialIds).ToImmutableList(), cancellationToken);
        return new PolicyStopResponse { Decisions = decisions };
    }

    private IExternalPolicyClient External(string endpoint) =>
        (services.GetService<IExternalPolicyClient>() is { } client
            ? new InstrumentedExternalPolicyClient(client)
            : null)
        ?? throw new FailedPreconditionException($"The study names the external policy endpoint '{endpoint}', but this cluster has no external-policy client (the gRPC front door is not configured).");
}
