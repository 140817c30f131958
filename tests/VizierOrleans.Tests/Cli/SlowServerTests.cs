using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VizierOrleans.Tests.Grpc;

namespace VizierOrleans.Tests.Cli;

/// <summary>
/// The tool against a server whose suggestion operations finish later, over TLS with an API key: <c>ask</c> polls
/// GetOperation until the operation is done and raises the error an operation ends in.
/// </summary>
public sealed class SlowServerTests : IAsyncLifetime
{
    private readonly SlowVizierService _service = new();
    private WebApplication _app = null!;
    private string _certificateFile = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        using var certificate = GrpcFixture.SelfSignedCertificate();
        var pfx = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        _certificateFile = Path.Combine(Directory.CreateTempSubdirectory("vizier-cli-tls-").FullName, "server.pem");
        await File.WriteAllTextAsync(_certificateFile, certificate.ExportCertificatePem());

        _port = SiloProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, _port, l =>
        {
            l.Protocols = HttpProtocols.Http2;
            l.UseHttps(pfx);
        }));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_service);
        _app = builder.Build();
        _app.MapGrpcService<SlowVizierService>();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Ask_polls_a_slow_suggestion_operation_until_it_is_done_over_tls_with_the_api_key()
    {
        var ask = await RunAsync("ask", "o/slow", "--client-id", "w", "--json", "--api-key", "secret-1");
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Equal("5", ask.Json["trial_id"]!.GetValue<string>());
        Assert.Equal(0.25, ask.Json["parameters"]!["x"]!.GetValue<double>());
        Assert.Equal(3, _service.Polls);
        Assert.Equal(4, _service.ApiKeys.Count);
        Assert.All(_service.ApiKeys, k => Assert.Equal("secret-1", k));
    }

    [Fact]
    public async Task Ask_exits_with_the_code_of_the_error_a_suggestion_operation_ends_in()
    {
        var ask = await RunAsync("ask", "o/failing", "--client-id", "w");
        Assert.Equal(4, ask.ExitCode);
        Assert.Contains("UNAVAILABLE", ask.Errors, StringComparison.Ordinal);
        Assert.Contains("policy service at pythia:8888 is unreachable", ask.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_https_endpoint_whose_certificate_is_not_trusted_is_refused_as_unavailable()
    {
        var ask = await CliRun.RunAsync($"https://localhost:{_port}", ["ask", "o/slow", "--client-id", "w"]);
        Assert.True(ask.ExitCode == 4, ask.ToString());
        Assert.Contains("UNAVAILABLE", ask.Errors, StringComparison.Ordinal);
    }

    // .NET on Linux trusts the roots in SSL_CERT_FILE (OpenSSL's variable): the test's self-signed certificate.
    private Task<CliRun> RunAsync(params string[] args) =>
        CliRun.RunAsync($"https://localhost:{_port}", args, environment: new Dictionary<string, string> { ["SSL_CERT_FILE"] = _certificateFile });
}
