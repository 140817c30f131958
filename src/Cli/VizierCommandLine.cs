using System.CommandLine;
using System.Text.RegularExpressions;
using Grpc.Core;
using VizierOrleans.Cli.Commands;

namespace VizierOrleans.Cli;

/// <summary>The <c>vizier</c> command tree, and the one place errors become a line on stderr and an exit code.</summary>
internal static partial class VizierCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("vizier: studies, trials, export/import/copy, ask/tell and a live view over OSS Vizier's gRPC protocol.");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(StudiesCommands.Build());
        root.Subcommands.Add(TrialsCommands.Build());
        root.Subcommands.Add(TrialsCommands.BuildBest());
        root.Subcommands.Add(TransferCommands.BuildExport());
        root.Subcommands.Add(TransferCommands.BuildImport());
        root.Subcommands.Add(TransferCommands.BuildCopy());
        root.Subcommands.Add(WorkerCommands.BuildAsk());
        root.Subcommands.Add(WorkerCommands.BuildTell());
        root.Subcommands.Add(WatchCommand.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parseResult = Build().Parse(args);
        try
        {
            return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return e.ExitCode;
        }
        catch (RpcException e)
        {
            // A connection that fails below gRPC (TLS, a refused handshake) arrives as INTERNAL: the endpoint is unusable.
            var code = e.StatusCode == StatusCode.Internal && e.Status.DebugException is HttpRequestException ? StatusCode.Unavailable : e.StatusCode;
            await Console.Error.WriteLineAsync($"error: {CodeName(code)}: {e.Status.Detail}");
            return ExitCodeOf(code);
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }
    }

    /// <summary>Adds an action that runs with a <see cref="CommandContext"/>.</summary>
    public static void SetAction(this Command command, Func<CommandContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (ParseResult parseResult, CancellationToken cancellationToken) =>
        {
            using var context = new CommandContext(parseResult);
            return await action(context, cancellationToken);
        });

    public static int ExitCodeOf(StatusCode code) => code switch
    {
        StatusCode.OK => ExitCodes.Ok,
        StatusCode.NotFound => ExitCodes.NotFound,
        StatusCode.FailedPrecondition or StatusCode.AlreadyExists or StatusCode.Aborted => ExitCodes.FailedPrecondition,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => ExitCodes.Unavailable,
        _ => ExitCodes.Usage,
    };

    /// <summary>NotFound -> NOT_FOUND, as gRPC spells codes everywhere else.</summary>
    public static string CodeName(StatusCode code) => CamelHump().Replace(code.ToString(), "$1_$2").ToUpperInvariant();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex CamelHump();
}
