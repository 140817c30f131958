using System.Diagnostics;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;

namespace VizierOrleans.Grains.Telemetry;

/// <summary>A span per call to an external policy service, and a counted failure when one fails.</summary>
internal sealed class InstrumentedExternalPolicyClient(IExternalPolicyClient inner) : IExternalPolicyClient
{
    /// <inheritdoc />
    public Task<PolicySuggestResponse> SuggestAsync(string endpoint, PolicySuggestRequest request, CancellationToken cancellationToken = default) =>
        TraceAsync("suggest", endpoint, request.StudyName, () => inner.SuggestAsync(endpoint, request, cancellationToken));

    /// <inheritdoc />
    public Task<PolicyStopResponse> EarlyStopAsync(string endpoint, PolicyStopRequest request, CancellationToken cancellationToken = default) =>
        TraceAsync("early_stop", endpoint, request.StudyName, () => inner.EarlyStopAsync(endpoint, request, cancellationToken));

    private static async Task<T> TraceAsync<T>(string operation, string endpoint, string study, Func<Task<T>> call)
    {
        using var activity = VizierMetrics.Source.StartActivity($"vizier.external_policy.{operation}", ActivityKind.Client);
        activity?.SetTag("server.address", endpoint);
        activity?.SetTag("vizier.study", study);
        try
        {
            return await call();
        }
        catch (Exception error)
        {
            VizierMetrics.RecordError(activity, error);
            // The policy client logs the failure itself (study, endpoint, method); here it is counted and traced.
            VizierMetrics.ExternalPolicyErrors.Add(1, new TagList { { "vizier.operation", operation }, { "error.type", error.GetType().Name } });
            throw;
        }
    }
}
