using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using VizierOrleans.Grpc;
using VizierOrleans.Grpc.Hosting;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Tests.Grpc;

/// <summary>
/// One test cluster and, in this process, three gRPC front doors that reach it as an Orleans client (the standalone
/// front door's arrangement), each on its own HTTP/2 port: an open one, one that checks API keys, and one with a small
/// message limit. Also a fake external policy service (PythiaService).
/// </summary>
public sealed class GrpcFixture : IAsyncLifetime
{
    public const string KeyForOwnerA = "key-a-0123456789";
    public const string KeyForAll = "key-all-0123456789";
    public const int SmallLimit = 64 * 1024;

    /// <summary>
    /// The cluster's call timeout, shorter than Orleans' 30 s so that a policy slower than it is quick to test; the
    /// external policy deadline is longer.
    /// </summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(12);

    private readonly List<WebApplication> _apps = [];

    public TestCluster Cluster { get; private set; } = null!;

    internal VizierService.VizierServiceClient Client { get; private set; } = null!;

    internal VizierService.VizierServiceClient KeyedClient { get; private set; } = null!;

    internal VizierService.VizierServiceClient SmallLimitClient { get; private set; } = null!;

    /// <summary>A client of the TLS front door that trusts exactly its self-signed certificate.</summary>
    internal VizierService.VizierServiceClient TlsClient { get; private set; } = null!;

    /// <summary>The TLS front door's port.</summary>
    public int TlsPort { get; private set; }

    internal FakePythiaService Pythia { get; } = new();

    public string PythiaEndpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await TestClusters.Builder("vizier-grpc-tests")
            .WithResponseTimeout(ResponseTimeout)
            .WithExternalPolicies(ResponseTimeout * 3)
            .StartAsync();

        Client = ClientFor(await StartFrontDoorAsync(new GrpcFrontDoorOptions()));
        KeyedClient = ClientFor(await StartFrontDoorAsync(new GrpcFrontDoorOptions
        {
            ApiKeys = [new ApiKeyOptions { Key = KeyForOwnerA, Owners = "owner-a" }, new ApiKeyOptions { Key = KeyForAll, Owners = "*" }],
        }));
        SmallLimitClient = ClientFor(await StartFrontDoorAsync(new GrpcFrontDoorOptions { MaxMessageBytes = SmallLimit, MaxPageSize = 50 }));

        using var certificate = SelfSignedCertificate();
        var pfx = Path.Combine(Directory.CreateTempSubdirectory("vizier-tls-").FullName, "frontdoor.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));
        TlsPort = await StartFrontDoorAsync(new GrpcFrontDoorOptions { CertificatePath = pfx, CertificatePassword = "test-password" });
        var thumbprint = certificate.Thumbprint;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is X509Certificate2 c && c.Thumbprint == thumbprint;
        TlsClient = new(GrpcChannel.ForAddress($"https://localhost:{TlsPort}", new GrpcChannelOptions { HttpHandler = handler }));

        PythiaEndpoint = await StartPythiaAsync(SiloProcess.FreePort());
    }

    /// <summary>Starts the fake policy service (<see cref="Pythia"/>) on <paramref name="port"/>; returns its endpoint.</summary>
    public async Task<string> StartPythiaAsync(int port)
    {
        var pythia = WebApplication.CreateSlimBuilder();
        pythia.Logging.SetMinimumLevel(LogLevel.Warning);
        pythia.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
        pythia.Services.AddGrpc();
        pythia.Services.AddSingleton(Pythia);
        var pythiaApp = pythia.Build();
        pythiaApp.MapGrpcService<FakePythiaService>();
        await pythiaApp.StartAsync();
        lock (_apps)
        {
            _apps.Add(pythiaApp);
        }

        return $"localhost:{port}";
    }

    /// <summary>An endpoint where nothing listens.</summary>
    public static string UnreachableEndpoint => $"127.0.0.1:{SiloProcess.FreePort()}";

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private async Task<int> StartFrontDoorAsync(GrpcFrontDoorOptions options)
    {
        options.Port = SiloProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IGrainFactory>(Cluster.Client);
        builder.AddVizierGrpcFrontDoor(options);
        var app = builder.Build();
        app.MapVizierGrpcFrontDoor();
        await app.StartAsync();
        _apps.Add(app);
        return options.Port;
    }

    /// <summary>
    /// A certificate for localhost, valid for a day; it is its own CA, so a client can also trust it as a root
    /// (the tool's tests do, through SSL_CERT_FILE).
    /// </summary>
    internal static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static VizierService.VizierServiceClient ClientFor(int port) =>
        new(GrpcChannel.ForAddress($"http://localhost:{port}", new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null }));
}

[CollectionDefinition(Name)]
public sealed class GrpcCollection : ICollectionFixture<GrpcFixture>
{
    public const string Name = "grpc front door";
}
