using System.CommandLine;
using VizierOrleans.Cli.Output;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Cli;

/// <summary>What one command invocation works with: its parsed arguments, its output, and its endpoint.</summary>
internal sealed class CommandContext(ParseResult parseResult) : IDisposable
{
    private VizierConnection? _connection;

    public ParseResult ParseResult { get; } = parseResult;

    public Printer Printer { get; } = new(parseResult.GetValue(GlobalOptions.Json));

    public bool Json => Printer.Json;

    public string? Owner => ParseResult.GetValue(GlobalOptions.Owner);

    /// <summary>The client of --endpoint, connected on first use.</summary>
    public VizierService.VizierServiceClient Client => Connection.Client;

    public VizierConnection Connection => _connection ??= new VizierConnection(ParseResult.GetValue(GlobalOptions.Endpoint)!, ParseResult.GetValue(GlobalOptions.ApiKey));

    public T Get<T>(Argument<T> argument) => ParseResult.GetValue(argument)!;

    public T Get<T>(Option<T> option) => ParseResult.GetValue(option)!;

    /// <summary>The study resource name an argument names (see <see cref="StudyNames.Study"/>).</summary>
    public string Study(Argument<string> argument) => StudyNames.Study(Get(argument), Owner, argument.Name);

    public void Dispose() => _connection?.Dispose();
}
