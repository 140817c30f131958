using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VizierOrleans.ClientGateway;
using VizierOrleans.ClientGateway.Hosting;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Persistence.AzureTables.Hosting;

namespace VizierOrleans.LoadGenerator.Scale;

/// <summary>
/// What the scale benchmark runs on: a fresh in-memory Azurite (the repository's pinned copy) and one silo hosted in
/// this process on Azure Table storage there, reached through its gateway by a separate Orleans client (so calls are
/// serialized over loopback TCP as from any worker). The silo can be restarted on the same data; the silo in this
/// process lets the benchmark read the GC heap the study's activation holds.
/// </summary>
internal sealed class ScaleEnvironment : IAsyncDisposable
{
    private const string ServiceId = "vizier-scale";
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _azurite;
    private readonly string _connectionString;
    private IHost? _silo;
    private VizierClientHost? _client;
    private int _gatewayPort;

    private ScaleEnvironment(Process azurite, int port)
    {
        _azurite = azurite;
        _connectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    /// <summary>The client connected to the current silo.</summary>
    public VizierClient Client => _client?.Client ?? throw new InvalidOperationException("The silo is not running.");

    /// <summary>The current silo's services (its grain storage, its management grain through the client).</summary>
    public IClusterClient ClusterClient => _client?.ClusterClient ?? throw new InvalidOperationException("The silo is not running.");

    /// <summary>Starts Azurite in memory on a free port and a silo on it.</summary>
    public static async Task<ScaleEnvironment> StartAsync(CancellationToken cancellationToken)
    {
        var root = RepositoryRoot();
        using (var install = Process.Start("bash", [Path.Combine(root, "scripts", "install-azurite.sh")]))
        {
            await install.WaitForExitAsync(cancellationToken);
        }

        var port = FreePort();
        var info = new ProcessStartInfo(Path.Combine(root, "tools", "azurite", "node_modules", ".bin", "azurite-table")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture), "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--silent" })
        {
            info.ArgumentList.Add(a);
        }

        var azurite = Process.Start(info)!;
        azurite.OutputDataReceived += (_, _) => { };
        azurite.ErrorDataReceived += (_, _) => { };
        azurite.BeginOutputReadLine();
        azurite.BeginErrorReadLine();
        var environment = new ScaleEnvironment(azurite, port);
        await WaitForPortAsync(port, cancellationToken);
        await environment.StartSiloAsync(cancellationToken);
        return environment;
    }

    /// <summary>Stops the silo and its client, then starts a new silo on the same data: every grain is cold.</summary>
    public async Task RestartSiloAsync(CancellationToken cancellationToken)
    {
        await StopSiloAsync(cancellationToken);
        await StartSiloAsync(cancellationToken);
    }

    /// <summary>Bytes on the GC heap after a full, compacting collection (this process: the silo, the client and the benchmark).</summary>
    public static long HeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopSiloAsync(CancellationToken.None);
        if (!_azurite.HasExited)
        {
            _azurite.Kill(entireProcessTree: true);
            await _azurite.WaitForExitAsync();
        }

        _azurite.Dispose();
    }

    private async Task StartSiloAsync(CancellationToken cancellationToken)
    {
        int siloPort = FreePort();
        _gatewayPort = FreePort();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, _gatewayPort, serviceId: ServiceId, clusterId: ServiceId);
            silo.AddAzureTableGrainStorage(StorageNames.Vizier, o =>
            {
                o.ConnectionString = _connectionString;
                o.TableName = "ScaleState";
            });
            silo.AddVizierGrains();
        });
        _silo = builder.Build();
        await _silo.StartAsync(cancellationToken);
        _client = await VizierClientHost.ConnectAsync(
            o =>
            {
                o.ClusterId = ServiceId;
                o.ServiceId = ServiceId;
                o.Gateways = [$"127.0.0.1:{_gatewayPort}"];
            },
            cancellationToken: cancellationToken);
    }

    private async Task StopSiloAsync(CancellationToken cancellationToken)
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
            _client = null;
        }

        if (_silo is not null)
        {
            await _silo.StopAsync(cancellationToken);
            _silo.Dispose();
            _silo = null;
        }
    }

    // The repository (for its pinned Azurite): above the program, else above the working directory.
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "VizierOrleans.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the scale benchmark from the repository (VizierOrleans.sln not found above the program or the working directory).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        throw new TimeoutException($"Azurite did not listen on {port}.");
    }
}
