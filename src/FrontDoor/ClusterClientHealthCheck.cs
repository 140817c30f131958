using Microsoft.Extensions.Diagnostics.HealthChecks;
using VizierOrleans.Grains.Interfaces;

namespace VizierOrleans.FrontDoor;

/// <summary>Healthy when a grain call reaches the cluster: the front door is useless without it.</summary>
internal sealed class ClusterClientHealthCheck(IClusterClient client) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Any owner index answers; an unused one costs one activation.
            await client.GetGrain<IOwnerGrain>("_health").ListStudiesAsync(null, 1).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("the Orleans cluster is unreachable", e);
        }
    }
}
