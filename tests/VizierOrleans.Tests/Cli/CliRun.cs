using System.Diagnostics;
using System.Text.Json.Nodes;

namespace VizierOrleans.Tests.Cli;

/// <summary>What one run of the <c>vizier</c> tool (src/Cli, as a process) printed and returned.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Errors)
{
    public static string Assembly => RepositoryPaths.Output("src/Cli", "VizierOrleans.Cli");

    /// <summary>Runs <c>vizier ARGS</c> against <paramref name="endpoint"/> with <paramref name="input"/> on stdin.</summary>
    public static async Task<CliRun> RunAsync(string endpoint, IEnumerable<string> args, string? input = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add(Assembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["VIZIER_ENDPOINT"] = endpoint;
        info.Environment.Remove("VIZIER_API_KEY");
        info.Environment.Remove("VIZIER_OWNER");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        return new CliRun(process.ExitCode, await output, await errors);
    }

    /// <summary>Runs <c>bash SCRIPT ARGS</c> with VIZIER_ENDPOINT set and VIZIER_CLI naming the tool's assembly.</summary>
    public static async Task<CliRun> RunScriptAsync(string endpoint, string script, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["VIZIER_ENDPOINT"] = endpoint;
        info.Environment["VIZIER_CLI"] = Assembly;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cts.Token);
        return new CliRun(process.ExitCode, await output, await errors);
    }

    /// <summary>stdout parsed as JSON.</summary>
    public JsonNode Json => JsonNode.Parse(Output) ?? throw new InvalidOperationException("no JSON on stdout");

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Errors}";
}
