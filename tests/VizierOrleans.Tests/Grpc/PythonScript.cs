using System.Diagnostics;

namespace VizierOrleans.Tests.Grpc;

/// <summary>Runs one of the project's Python scripts (tests/python) with Debian's interpreter and returns its output.</summary>
internal static class PythonScript
{
    // Debian's interpreter: python3-grpcio and python3-grpc-tools are installed for it, not for other Pythons on PATH.
    private const string Python = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/>; fails the test with the whole output unless it exits 0.</summary>
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing; scripts/install-prerequisites.sh installs python3-grpcio and python3-grpc-tools.");
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "tests", "python", script));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        // Both pipes are drained, so a chatty script never blocks on a full pipe.
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        var log = await output + await errors;
        Assert.True(process.ExitCode == 0, log);
        return log;
    }
}
