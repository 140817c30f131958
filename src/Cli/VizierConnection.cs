using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Cli;

/// <summary>A channel to one Vizier endpoint and its client; plaintext HTTP/2 unless the endpoint is https://.</summary>
internal sealed class VizierConnection : IDisposable
{
    public const string ApiKeyHeader = "x-vizier-api-key";

    private readonly GrpcChannel _channel;

    public VizierConnection(string endpoint, string? apiKey)
    {
        Endpoint = endpoint;
        var address = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "http://" + endpoint;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Port <= 0)
        {
            throw CliException.Usage($"--endpoint: '{endpoint}' is not host:port, http://host:port or https://host:port.");
        }

        _channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), EnableMultipleHttp2Connections = true },
            // Servers that never page (the OSS reference server) answer ListTrials whole.
            MaxReceiveMessageSize = 256 * 1024 * 1024,
        });
        var invoker = string.IsNullOrEmpty(apiKey)
            ? _channel.CreateCallInvoker()
            : _channel.CreateCallInvoker().Intercept(headers =>
            {
                headers.Add(ApiKeyHeader, apiKey);
                return headers;
            });
        Client = new VizierService.VizierServiceClient(invoker);
    }

    public string Endpoint { get; }

    public VizierService.VizierServiceClient Client { get; }

    public void Dispose() => _channel.Dispose();
}
