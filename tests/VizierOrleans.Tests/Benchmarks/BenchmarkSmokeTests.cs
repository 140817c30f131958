using System.Diagnostics;

namespace VizierOrleans.Tests.Benchmarks;

/// <summary>
/// A small run of each benchmark family and of the Optuna peer runner (one seed, few trials), through the benchmark
/// program itself, so the commands the benchmark README names cannot rot.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    private static readonly string[] Peers = ["optuna-tpe", "optuna-tpe-mv", "optuna-nsga2", "optuna-qmc"];

    [Fact]
    public async Task Quality_runs_shifted_rotated_and_high_dimensional_bbob_with_every_peer_in_flight()
    {
        var output = await RunAsync([
            "quality", "--seeds", "1", "--trials", "6", "--functions", "Sphere", "Katsuura", "--dimensions", "2", "32",
            "--rotated", "--parallel", "2", "--threads", "2", "--peers", .. Peers]);
        foreach (var cell in new[] { "| Sphere | 2 |", "| Sphere | 32 |", "| Katsuura | 2 |", "| Katsuura | 32 |" })
        {
            Assert.Contains(cell, output, StringComparison.Ordinal);
        }

        Assert.Contains("| function | D | GAUSSIAN_PROCESS_BANDIT | optuna-tpe | optuna-tpe-mv | optuna-nsga2 | optuna-qmc | RANDOM_SEARCH |", output, StringComparison.Ordinal);
        Assert.Contains("GAUSSIAN_PROCESS_BANDIT vs optuna-tpe |", output, StringComparison.Ordinal);
        Assert.Matches(@"- GAUSSIAN_PROCESS_BANDIT: best median gap in \d/4 cells \(\d+%\), worse than RANDOM_SEARCH in \d/4", output);
        Assert.Matches(@"- optuna-qmc: best median gap in \d/4 cells", output);
    }

    [Fact]
    public async Task Quality_without_peers_prints_its_table()
    {
        var output = await RunAsync("quality", "--seeds", "1", "--trials", "5", "--functions", "Sphere", "--dimensions", "2", "--threads", "1");
        Assert.Contains("| function | D | GAUSSIAN_PROCESS_BANDIT | RANDOM_SEARCH |", output, StringComparison.Ordinal);
        Assert.Contains("| Sphere | 2 |", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mixed_runs_typed_and_conditional_spaces_with_tpe()
    {
        var output = await RunAsync("mixed", "--seeds", "1", "--trials", "6", "--functions", "Rastrigin", "--dimensions", "4",
            "--conditional", "Sphere/Lunacek", "--threads", "2", "--peers", "optuna-tpe", "optuna-tpe-mv");
        Assert.Contains("| Rastrigin | 4 |", output, StringComparison.Ordinal);
        Assert.Contains("| Sphere/Lunacek | 4 |", output, StringComparison.Ordinal);
        Assert.Matches(@"- optuna-tpe-mv: best median gap in \d/2 cells", output);
    }

    [Fact]
    public async Task Multiobjective_runs_zdt_and_dtlz2_with_nsga2_and_tpe()
    {
        var output = await RunAsync("multiobjective", "--seeds", "1", "--trials", "8", "--problems", "ZDT3", "DTLZ2-3", "--threads", "2", "--peers", "optuna-nsga2", "optuna-tpe");
        Assert.Matches(@"\| ZDT3 \| 2 \| 10 \| \(1.1, 11\) \| optuna-nsga2 \| 8 \| 1 \| \**[0-9.]+", output);
        Assert.Matches(@"\| DTLZ2-3 \| 3 \| 7 \| \(2.5, 2.5, 2.5\) \| NSGA2 \| 8 \| 1 \| \**[0-9.]+", output);
        Assert.Matches(@"- optuna-tpe: best median hypervolume in \d/2 problems", output);
    }

    [Fact]
    public async Task An_unknown_peer_is_refused_by_name()
    {
        var (code, _, error) = await StartAsync("quality", "--peers", "optuna-cma");
        Assert.Equal(1, code);
        Assert.Contains("Unknown peers: optuna-cma", error, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        var (code, output, error) = await StartAsync(args);
        Assert.True(code == 0, $"exit {code}: {error}");
        return output;
    }

    private static async Task<(int Code, string Output, string Error)> StartAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [RepositoryPaths.Output("tests/VizierOrleans.Benchmarks", "VizierOrleans.Benchmarks"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
