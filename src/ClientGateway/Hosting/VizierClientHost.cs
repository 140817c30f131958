using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VizierOrleans.ClientGateway.Hosting;

/// <summary>Connects a worker process to a Vizier cluster and hands out a <see cref="VizierClient"/>.</summary>
public sealed class VizierClientHost : IAsyncDisposable
{
    private readonly IHost _host;

    private VizierClientHost(IHost host)
    {
        _host = host;
        Client = new VizierClient(host.Services.GetRequiredService<IClusterClient>())
        {
            LoggerFactory = host.Services.GetRequiredService<ILoggerFactory>(),
        };
    }

    /// <summary>The client; share it between threads.</summary>
    public VizierClient Client { get; }

    /// <summary>The underlying Orleans client.</summary>
    public IClusterClient ClusterClient => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>
    /// Connects with options read from configuration (appsettings.json, then <c>Vizier__*</c> environment variables),
    /// then changed by <paramref name="configure"/>. <paramref name="configureClient"/> replaces the cluster setup
    /// (<see cref="VizierClusterClientExtensions.UseVizierCluster"/>) and receives the validated options: for example
    /// the Azure Table gateway list of <c>VizierOrleans.ClientGateway.AzureStorage</c>.
    /// </summary>
    public static async Task<VizierClientHost> ConnectAsync(
        Action<VizierClientOptions>? configure = null,
        Action<IClientBuilder, VizierClientOptions>? configureClient = null,
        CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder();

        // Workers print their own progress; the client's connection chatter is noise unless configured otherwise.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning);
        var options = new VizierClientOptions();
        builder.Configuration.GetSection(VizierClientOptions.Section).Bind(options);
        configure?.Invoke(options);
        SettingsValidation.ThrowIfInvalid(options);
        builder.Services.AddVizierClientOptions(configure);
        builder.UseOrleansClient(client => (configureClient ?? ((c, o) => c.UseVizierCluster(o)))(client, options));

        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new VizierClientHost(host);
    }

    /// <summary>True when <paramref name="endpoint"/> has the form <c>host:port</c> with a TCP port (no name lookup).</summary>
    internal static bool IsEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint.AsSpan(colon + 1), out var port) && port is > 0 and <= 65535;
    }

    /// <summary>Parses <c>host:port</c>, resolving a host name to its first address.</summary>
    public static IPEndPoint ParseEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), out var port))
        {
            throw new FormatException($"Gateway '{endpoint}' is not host:port.");
        }

        var host = endpoint[..colon];
        var address = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        return new IPEndPoint(address, port);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
