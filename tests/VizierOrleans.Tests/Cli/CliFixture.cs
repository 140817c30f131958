using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Tests.Cli;

/// <summary>
/// Two silo processes of different clusters, each serving gRPC, and a standalone front door process in front of the
/// first that requires an API key: the endpoints the <c>vizier</c> tool is run against.
/// </summary>
public sealed class CliFixture : IAsyncLifetime
{
    public const string ApiKey = "cli-key-0123456789";

    private SiloProcess _first = null!;
    private SiloProcess _second = null!;
    private Process? _frontDoor;
    private Task<string>? _frontDoorLog;

    /// <summary>The first silo's gRPC endpoint (host:port, plaintext).</summary>
    public string Endpoint => $"127.0.0.1:{_first.GrpcPort}";

    /// <summary>The second silo's, in another cluster with its own storage.</summary>
    public string OtherEndpoint => $"127.0.0.1:{_second.GrpcPort}";

    public string FrontDoorEndpoint { get; private set; } = null!;

    internal VizierService.VizierServiceClient Client { get; private set; } = null!;

    internal VizierService.VizierServiceClient OtherClient { get; private set; } = null!;

    public string FrontDoorLog => _frontDoorLog is { IsCompleted: true } log ? log.Result : string.Empty;

    public async Task InitializeAsync()
    {
        var first = SiloProcess.StartAsync(Settings("cli-first"));
        var second = SiloProcess.StartAsync(Settings("cli-second"));
        _first = await first;
        _second = await second;
        Client = new(GrpcChannel.ForAddress($"http://{Endpoint}"));
        OtherClient = new(GrpcChannel.ForAddress($"http://{OtherEndpoint}"));

        int grpcPort = SiloProcess.FreePort(), healthPort = SiloProcess.FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepositoryPaths.Output("src/FrontDoor", "VizierOrleans.FrontDoor"));
        info.Environment["Vizier__ClusterId"] = "cli-first";
        info.Environment["Vizier__ServiceId"] = "cli-first";
        info.Environment["Vizier__Gateways__0"] = $"127.0.0.1:{_first.GatewayPort}";
        info.Environment["Vizier__Grpc__Port"] = grpcPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["Vizier__HealthPort"] = healthPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["Vizier__Grpc__ApiKeys__0__Key"] = ApiKey;
        info.Environment["Vizier__Grpc__ApiKeys__0__Owners"] = "*";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        _frontDoor = Process.Start(info)!;
        _frontDoorLog = _frontDoor.StandardOutput.ReadToEndAsync();
        _ = _frontDoor.StandardError.ReadToEndAsync();
        if (!await HealthProbe.WaitAsync(healthPort, _frontDoor, TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException($"The front door did not become healthy (exited: {_frontDoor.HasExited}).");
        }

        FrontDoorEndpoint = $"127.0.0.1:{grpcPort}";
    }

    public async Task DisposeAsync()
    {
        if (_frontDoor is not null)
        {
            if (!_frontDoor.HasExited)
            {
                _frontDoor.Kill(entireProcessTree: true);
            }

            await _frontDoor.WaitForExitAsync();
            _frontDoor.Dispose();
        }

        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    /// <summary>Runs the tool against the first silo.</summary>
    internal Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(Endpoint, args);

    private static Dictionary<string, string> Settings(string cluster) => new()
    {
        ["Vizier__Clustering"] = "Localhost",
        ["Vizier__Storage"] = "Memory",
        ["Vizier__ClusterId"] = cluster,
        ["Vizier__ServiceId"] = cluster,
        ["Logging__LogLevel__Default"] = "Warning",
    };
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliFixture>
{
    public const string Name = "vizier command-line tool";
}
