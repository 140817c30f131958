using System.Diagnostics;

namespace VizierOrleans.Tests.Grpc;

/// <summary>
/// A client in another language: tests/python/vizier_conformance.py compiles our .proto files with Debian's grpc-tools
/// and runs the protocol's conformance flow against a real silo process, whose own port serves the protocol.
/// </summary>
public sealed class PythonConformanceTests
{
    // Debian's interpreter: python3-grpcio and python3-grpc-tools are installed for it, not for other Pythons on PATH.
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task The_python_conformance_flow_passes_against_a_silo_process()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing; scripts/install-prerequisites.sh installs python3-grpcio and python3-grpc-tools.");
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["Vizier__Clustering"] = "Localhost",
            ["Vizier__Storage"] = "Memory",
            ["Vizier__ClusterId"] = "python-conformance",
            ["Vizier__ServiceId"] = "python-conformance",
        });

        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "tests", "python", "vizier_conformance.py"));
        info.ArgumentList.Add("--endpoint");
        info.ArgumentList.Add($"127.0.0.1:{silo.GrpcPort}");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(cts.Token);

        var log = await output + await errors;
        Assert.True(process.ExitCode == 0, log);
        Assert.Matches(@"(\d+) of \1 checks passed", log);
        Assert.DoesNotContain("FAIL", log, StringComparison.Ordinal);
    }
}
