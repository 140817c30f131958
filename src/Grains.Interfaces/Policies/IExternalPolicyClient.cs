using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces.Policies;

/// <summary>
/// Calls a policy service outside the cluster (an OSS Vizier PythiaService) for studies whose metadata names one.
/// The silo's gRPC front door registers the implementation; the policy-worker grain uses it.
/// </summary>
public interface IExternalPolicyClient
{
    /// <summary>
    /// New suggestions from the policy service at <paramref name="endpoint"/> (<c>host:port</c>). A failure of the
    /// policy (its status, a deadline, a malformed decision) is an <see cref="ExternalPolicyException"/>.
    /// </summary>
    Task<PolicySuggestResponse> SuggestAsync(string endpoint, PolicySuggestRequest request, CancellationToken cancellationToken = default);

    /// <summary>Stopping decisions from the policy service at <paramref name="endpoint"/>.</summary>
    Task<PolicyStopResponse> EarlyStopAsync(string endpoint, PolicyStopRequest request, CancellationToken cancellationToken = default);
}
