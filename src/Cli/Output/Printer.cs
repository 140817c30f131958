using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Cli.Output;

/// <summary>Where the tool writes: tables for people, protobuf JSON for scripts, progress and errors on stderr.</summary>
internal sealed class Printer
{
    /// <summary>The protocol's JSON mapping with the .proto field names (snake_case), as the OSS tooling prints them.</summary>
    public static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true)
        .WithTypeRegistry(Google.Protobuf.Reflection.TypeRegistry.FromFiles(StudyReflection.Descriptor, VizierServiceReflection.Descriptor)));

    public static readonly JsonParser Parser = new(JsonParser.Settings.Default
        .WithTypeRegistry(Google.Protobuf.Reflection.TypeRegistry.FromFiles(StudyReflection.Descriptor, VizierServiceReflection.Descriptor)));

    private readonly TextWriter _stdout = Console.Out;
    private readonly bool _stderrIsTerminal = !Console.IsErrorRedirected;

    public Printer(bool json)
    {
        Json = json;
        Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            // Tables piped to a file should not wrap at 80 columns.
            Out.Profile.Width = 240;
        }

        Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    }

    public bool Json { get; }

    public IAnsiConsole Out { get; }

    public IAnsiConsole Error { get; }

    /// <summary>Progress bars only for a person watching stderr.</summary>
    public bool ShowsProgress => _stderrIsTerminal;

    public static string Format(IMessage message) => Formatter.Format(message);

    public static JsonNode Node(IMessage message) => JsonNode.Parse(Format(message))!;

    public void WriteJson(JsonNode node) => _stdout.WriteLine(node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

    public void WriteJson(IMessage message) => _stdout.WriteLine(Format(message));

    public void WriteJson(IEnumerable<IMessage> messages) => WriteJson(new JsonArray([.. messages.Select(Node)]));

    /// <summary>A value as the protocol carries it: numbers in the shortest round-trip form, strings as they are.</summary>
    public static string ValueText(Value? value) => value?.KindCase switch
    {
        Value.KindOneofCase.NumberValue => value.NumberValue.ToString("R", CultureInfo.InvariantCulture),
        Value.KindOneofCase.StringValue => value.StringValue,
        Value.KindOneofCase.BoolValue => value.BoolValue ? "True" : "False",
        _ => string.Empty,
    };

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Time(Timestamp? time) => time is null ? string.Empty : time.ToDateTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Parameters(Trial trial) => string.Join(", ", trial.Parameters.Select(p => $"{p.ParameterId}={ValueText(p.Value)}"));

    public static string Metrics(Trial trial) => trial.FinalMeasurement is { } m
        ? string.Join(", ", m.Metrics.Select(x => $"{x.MetricId}={Number(x.Value)}"))
        : trial.State == Trial.Types.State.Infeasible ? "infeasible: " + trial.InfeasibleReason : string.Empty;

    /// <summary>The states a trial can be in, in the protocol's order: every list, count and parse of states uses these.</summary>
    public static readonly Trial.Types.State[] TrialStates =
        [Trial.Types.State.Requested, Trial.Types.State.Active, Trial.Types.State.Stopping, Trial.Types.State.Succeeded, Trial.Types.State.Infeasible];

    public static string StateName(Trial.Types.State state) => state switch
    {
        Trial.Types.State.Requested => "REQUESTED",
        Trial.Types.State.Active => "ACTIVE",
        Trial.Types.State.Stopping => "STOPPING",
        Trial.Types.State.Succeeded => "SUCCEEDED",
        Trial.Types.State.Infeasible => "INFEASIBLE",
        _ => "STATE_UNSPECIFIED",
    };

    public static string StateName(Study.Types.State state) => state switch
    {
        Study.Types.State.Active => "ACTIVE",
        Study.Types.State.Inactive => "INACTIVE",
        Study.Types.State.Completed => "COMPLETED",
        _ => "STATE_UNSPECIFIED",
    };

    public void WriteTrials(IEnumerable<Trial> trials)
    {
        var table = new Table().AddColumns("id", "state", "client", "parameters", "metrics", "started", "ended");
        foreach (var t in trials)
        {
            table.AddRow(Cells(t.Id, StateName(t.State), t.ClientId, Parameters(t), Metrics(t), Time(t.StartTime), Time(t.EndTime)));
        }

        Out.Write(table);
    }

    public void WriteTrial(Trial trial)
    {
        var table = new Table().AddColumns("field", "value").HideHeaders();
        table.AddRow(Cells("name", trial.Name));
        table.AddRow(Cells("state", StateName(trial.State)));
        table.AddRow(Cells("client", trial.ClientId));
        table.AddRow(Cells("started", Time(trial.StartTime)));
        table.AddRow(Cells("ended", Time(trial.EndTime)));
        foreach (var p in trial.Parameters)
        {
            table.AddRow(Cells("parameter " + p.ParameterId, ValueText(p.Value)));
        }

        if (trial.FinalMeasurement is { } final)
        {
            foreach (var m in final.Metrics)
            {
                table.AddRow(Cells("metric " + m.MetricId, Number(m.Value)));
            }
        }

        if (trial.State == Trial.Types.State.Infeasible)
        {
            table.AddRow(Cells("infeasible", trial.InfeasibleReason));
        }

        table.AddRow(Cells("measurements", trial.Measurements.Count.ToString(CultureInfo.InvariantCulture)));
        foreach (var kv in trial.Metadata)
        {
            table.AddRow(Cells($"metadata {kv.Ns}/{kv.Key}", kv.AValueCase == KeyValue.AValueOneofCase.Value ? kv.Value : "(proto)"));
        }

        Out.Write(table);
    }

    /// <summary>Table cells with Spectre markup escaped: parameter values and reasons are user text.</summary>
    public static Spectre.Console.Rendering.IRenderable[] Cells(params string[] values) => [.. values.Select(v => new Text(v))];
}
