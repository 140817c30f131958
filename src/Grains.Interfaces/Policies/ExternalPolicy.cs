using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces.Policies;

/// <summary>
/// How a study names an external policy service: OSS Vizier's <c>PYTHIA_ENDPOINT</c> key in the <c>:service</c>
/// metadata namespace (stored here without the wire encoding's leading colon).
/// </summary>
public static class ExternalPolicy
{
    /// <summary>The metadata namespace of service settings.</summary>
    public const string Namespace = "service";

    /// <summary>The metadata key whose value is the policy service's <c>host:port</c>.</summary>
    public const string EndpointKey = "PYTHIA_ENDPOINT";

    /// <summary>The external policy endpoint the study names, or null when its own algorithm runs in the cluster.</summary>
    public static string? Endpoint(StudyConfig config) =>
        config.Metadata.Get(Namespace, EndpointKey) is { Length: > 0 } endpoint ? endpoint : null;
}
