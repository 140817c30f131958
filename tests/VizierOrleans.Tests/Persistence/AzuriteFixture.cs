using System.Diagnostics;
using System.Net.Sockets;

namespace VizierOrleans.Tests.Persistence;

/// <summary>
/// A private Azurite table service for a test collection: free loopback port, data in a temporary folder (so an
/// outage test can stop and restart it), started from the repository's pinned copy (installed with npm ci when
/// missing) and stopped at the end.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    // Azurite's well-known development account (public, documented by Microsoft; not a secret).
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _folder = Directory.CreateTempSubdirectory("vizier-azurite-").FullName;
    private Process? _process;

    /// <summary>Creates a fixture listening on loopback (the collection fixture).</summary>
    public AzuriteFixture()
        : this("127.0.0.1")
    {
    }

    /// <summary>Creates an Azurite that listens on <paramref name="host"/> (for example a veth address of a test network).</summary>
    internal AzuriteFixture(string host) => Host = host;

    public string Host { get; }

    public int Port { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};TableEndpoint=http://{Host}:{Port}/devstoreaccount1;";

    public async Task InitializeAsync()
    {
        var install = Process.Start(new ProcessStartInfo("bash", [Path.Combine(RepositoryPaths.Root, "scripts", "install-azurite.sh")]))!;
        await install.WaitForExitAsync();
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException("scripts/install-azurite.sh failed");
        }

        Port = SiloProcess.FreePort();
        await StartAsync();
    }

    /// <summary>Starts Azurite (again) on the same port and data folder.</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(Path.Combine(RepositoryPaths.Root, "tools", "azurite", "node_modules", ".bin", "azurite-table"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "--tableHost", Host, "--tablePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _folder, "--disableTelemetry", "--skipApiVersionCheck", "--silent" })
        {
            info.ArgumentList.Add(a);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Host, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Azurite did not listen on {Port}");
    }

    /// <summary>Stops Azurite with SIGINT, on which it saves its data (SIGTERM does not): an outage.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            using (var term = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
