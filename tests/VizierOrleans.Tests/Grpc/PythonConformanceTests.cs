using System.Diagnostics;
using System.Globalization;

namespace VizierOrleans.Tests.Grpc;

/// <summary>
/// A client in another language: tests/python/vizier_conformance.py compiles our .proto files with Debian's grpc-tools
/// and runs the protocol's conformance flow against real processes: a silo's own gRPC port, and the standalone front
/// door (src/FrontDoor) that reaches the silo as an Orleans client.
/// </summary>
public sealed class PythonConformanceTests
{
    [Fact]
    public async Task The_python_conformance_flow_passes_against_a_silo_and_a_standalone_front_door()
    {
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["Vizier__Clustering"] = "Localhost",
            ["Vizier__Storage"] = "Memory",
            ["Vizier__ClusterId"] = "python-conformance",
            ["Vizier__ServiceId"] = "python-conformance",
        });
        await RunConformanceAsync($"127.0.0.1:{silo.GrpcPort}");

        int grpcPort = SiloProcess.FreePort(), healthPort = SiloProcess.FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepositoryPaths.Output("src/FrontDoor", "VizierOrleans.FrontDoor"));
        info.Environment["Vizier__ClusterId"] = "python-conformance";
        info.Environment["Vizier__ServiceId"] = "python-conformance";
        info.Environment["Vizier__Gateways__0"] = $"127.0.0.1:{silo.GatewayPort}";
        info.Environment["Vizier__Grpc__Port"] = grpcPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["Vizier__HealthPort"] = healthPort.ToString(CultureInfo.InvariantCulture);
        using var frontDoor = Process.Start(info)!;
        // Both pipes are drained, so a chatty process never blocks on a full pipe.
        var frontDoorLog = frontDoor.StandardOutput.ReadToEndAsync();
        var frontDoorErrors = frontDoor.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(await HealthProbe.WaitAsync(healthPort, frontDoor, TimeSpan.FromSeconds(60)), $"The front door did not become healthy (exited: {frontDoor.HasExited}).");
            await RunConformanceAsync($"127.0.0.1:{grpcPort}");
        }
        finally
        {
            frontDoor.Kill(entireProcessTree: true);
            await frontDoor.WaitForExitAsync();
        }

        // Every error the front door logged while serving the flow, in full. A health probe answered while the front door
        // was still starting (its first grain call can take seconds on a busy machine) is logged as an error by
        // ASP.NET's health check service and is not part of the flow.
        var failures = (await frontDoorLog + await frontDoorErrors).Split('\n')
            .Where(line => line.Contains("fail:", StringComparison.Ordinal) && !line.Contains("HealthChecks.DefaultHealthCheckService", StringComparison.Ordinal))
            .ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static async Task RunConformanceAsync(string endpoint)
    {
        var log = await PythonScript.RunAsync("vizier_conformance.py", ["--endpoint", endpoint], TimeSpan.FromSeconds(90));
        Assert.Matches(@"(\d+) of \1 checks passed", log);
        Assert.DoesNotContain("FAIL", log, StringComparison.Ordinal);
    }
}
