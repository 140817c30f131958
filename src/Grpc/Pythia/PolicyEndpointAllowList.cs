using System.Net;
using Microsoft.Extensions.Options;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grpc.Pythia;

/// <summary>
/// Which external policy endpoints a study may name. A study's PYTHIA_ENDPOINT makes the silos open connections, so
/// a multi-tenant deployment limits it to hosts or networks it trusts: host names (exact), IP addresses and CIDR
/// networks in <see cref="GrpcFrontDoorOptions.ExternalPolicyAllowList"/>. An empty list allows every endpoint unless
/// API keys are configured, in which case it allows none.
/// </summary>
internal sealed class PolicyEndpointAllowList(GrpcFrontDoorOptions options)
{
    /// <summary>The list of the front door's settings (one per host: the entries are parsed once).</summary>
    public PolicyEndpointAllowList(IOptions<GrpcFrontDoorOptions> options)
        : this(options.Value)
    {
    }

    private readonly string[] _hosts = [.. options.ExternalPolicyAllowList.Where(e => !IPNetwork.TryParse(e, out _) && !IPAddress.TryParse(e, out _)).Select(e => e.Trim())];
    private readonly IPNetwork[] _networks = [.. options.ExternalPolicyAllowList.Select(Network).OfType<IPNetwork>()];
    private readonly bool _open = options.ExternalPolicyAllowList.Count == 0 && options.ApiKeys.Count == 0;

    /// <summary>
    /// Throws <see cref="VizierException"/> with PERMISSION_DENIED (naming the endpoint and <paramref name="field"/>)
    /// when <paramref name="endpoint"/> is not allowed, INVALID_ARGUMENT when it is no <c>host:port</c>.
    /// </summary>
    public async Task CheckAsync(string endpoint, string field, CancellationToken cancellationToken = default)
    {
        var host = HostOf(endpoint, field);
        if (_open || _hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        if (_networks.Length > 0)
        {
            // A host name is allowed when every address it resolves to lies in an allowed network.
            IPAddress[] addresses;
            try
            {
                addresses = IPAddress.TryParse(host, out var ip) ? [ip] : await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (System.Net.Sockets.SocketException)
            {
                addresses = [];
            }

            if (addresses.Length > 0 && addresses.All(a => _networks.Any(n => n.Contains(a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a))))
            {
                return;
            }
        }

        throw new VizierException(VizierErrorCode.PermissionDenied, options.ExternalPolicyAllowList.Count == 0
            ? $"{field}: this deployment accepts no external policy endpoints ('{endpoint}'); {GrpcFrontDoorOptions.Section}:ExternalPolicyAllowList names the hosts or networks that may be used."
            : $"{field}: the external policy endpoint '{endpoint}' is not in {GrpcFrontDoorOptions.Section}:ExternalPolicyAllowList ({string.Join(", ", options.ExternalPolicyAllowList)}).");
    }

    /// <summary>The channel address for an endpoint: <c>host:port</c> becomes plaintext HTTP/2, as the reference dials it.</summary>
    public static Uri AddressOf(string endpoint, string field)
    {
        var text = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "http://" + endpoint;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Host.Length > 0 && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidArgumentException($"{field}: '{endpoint}' is not a policy service endpoint (host:port).");
    }

    private static string HostOf(string endpoint, string field) => AddressOf(endpoint, field).IdnHost.Trim('[', ']');

    private static IPNetwork? Network(string entry) =>
        IPNetwork.TryParse(entry.Trim(), out var network) ? network
        : IPAddress.TryParse(entry.Trim(), out var ip) ? new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
        : null;
}
