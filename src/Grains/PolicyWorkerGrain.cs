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
/// Runs algorithms and stopping rules. A stateless worker: Orleans keeps several activations per silo, so heavy
/// computations run in parallel and never occupy a study grain; <see cref="PolicyComputeLimiter"/> bounds how many run
/// at once.
/// </summary>
/// <remarks>
/// With several activations a call's cancellation can reach an idle activation rather than the one running the call
/// (Orleans routes it to the grain id, dotnet/orleans#9877), so each call also ends itself at the request's own
/// timeout, and the computations keep several activations to run in.
/// </remarks>
[StatelessWorker, GrainType("policyworker")]
internal sealed class PolicyWorkerGrain(AlgorithmCatalog catalog, PolicyComputeLimiter limiter, TimeProvider time, IServiceProvider services) : Grain, IPolicyWorkerGrain
{
    /// <inheritdoc />
    public async Task<PolicySuggestResponse> SuggestAsync(PolicySuggestRequest request, CancellationToken cancellationToken = default)
    {
        using var deadline = Deadline(request.Timeout, cancellationToken);
        cancellationToken = deadline.Token;
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
        using var deadline = Deadline(request.Timeout, cancellationToken);
        cancellationToken = deadline.Token;
        if (ExternalPolicy.Endpoint(request.Config) is { } endpoint)
        {
            return await External(endpoint).EarlyStopAsync(endpoint, request, cancellationToken);
        }

        var policy = AlgorithmCatalog.CreateStoppingPolicy(request.Config.Stopping.Rule);
        var decisions = await limiter.RunAsync(_ => policy.Decide(request.Config, request.Trials, request.TrialIds).ToImmutableList(), cancellationToken);
        return new PolicyStopResponse { Decisions = decisions };
    }

    /// <summary>The caller's token, also cancelled once <paramref name="timeout"/> has passed on this silo's clock.</summary>
    private PolicyDeadline Deadline(TimeSpan? timeout, CancellationToken cancellationToken) => new(timeout, time, cancellationToken);

    private IExternalPolicyClient External(string endpoint) =>
        (services.GetService<IExternalPolicyClient>() is { } client
            ? new InstrumentedExternalPolicyClient(client)
            : null)
        ?? throw new FailedPreconditionException($"The study names the external policy endpoint '{endpoint}', but this cluster has no external-policy client (the gRPC front door is not configured).");
}
