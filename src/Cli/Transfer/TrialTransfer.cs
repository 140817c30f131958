using Google.Protobuf.WellKnownTypes;
using VizierOrleans.Cli.Output;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Cli.Transfer;

/// <summary>
/// Trials as they leave one study and enter another. CreateTrial makes completed trials SUCCEEDED or INFEASIBLE and all
/// others REQUESTED; what a service sets itself on creation (start and end times, the client id, intermediate
/// measurements) travels in the trial's metadata under <see cref="Namespace"/>, and export reads it back while the
/// trial is still in the state it was imported in, so export, import, export gives the same trials.
/// </summary>
internal static class TrialTransfer
{
    /// <summary>The metadata namespace (wire form) of what a trial had before it was imported.</summary>
    public const string Namespace = ":vizier_cli.import";

    private const string StateKey = "state";
    private const string StartKey = "start_time";
    private const string EndKey = "end_time";
    private const string ClientKey = "client_id";
    private const string MeasurementsKey = "measurements";

    /// <summary>The CreateTrial form of an exported trial.</summary>
    public static Trial ToImport(Trial source)
    {
        var completed = source.State is Trial.Types.State.Succeeded or Trial.Types.State.Infeasible;
        var trial = new Trial
        {
            Id = "0",
            State = completed ? source.State : Trial.Types.State.Requested,
            InfeasibleReason = source.State == Trial.Types.State.Infeasible ? source.InfeasibleReason : string.Empty,
        };
        trial.Parameters.AddRange(source.Parameters);
        if (source.State == Trial.Types.State.Succeeded)
        {
            trial.FinalMeasurement = source.FinalMeasurement;
        }

        trial.Metadata.AddRange(source.Metadata.Where(kv => kv.Ns != Namespace));

        // A trial that was running starts over as a new request: nothing of its run is kept.
        if (completed || source.State == Trial.Types.State.Requested)
        {
            Add(trial, StateKey, Printer.StateName(trial.State));
            if (source.StartTime is { } start)
            {
                Add(trial, StartKey, Text(start));
            }

            if (completed && source.EndTime is { } end)
            {
                Add(trial, EndKey, Text(end));
            }

            if (completed && source.ClientId.Length > 0)
            {
                Add(trial, ClientKey, source.ClientId);
            }

            if (completed && source.Measurements.Count > 0)
            {
                Add(trial, MeasurementsKey, "[" + string.Join(',', source.Measurements.Select(Printer.Format)) + "]");
            }
        }

        return trial;
    }

    /// <summary>
    /// The exported form of a stored trial, made in place (the caller owns the trial it listed): no resource name, and
    /// what it had before an import restored.
    /// </summary>
    public static Trial ToExport(Trial trial)
    {
        trial.Name = string.Empty;
        Dictionary<string, string>? imported = null;
        for (var i = trial.Metadata.Count - 1; i >= 0; i--)
        {
            if (trial.Metadata[i] is { Ns: Namespace } kv)
            {
                (imported ??= []).Add(kv.Key, kv.Value);
                trial.Metadata.RemoveAt(i);
            }
        }

        if (imported is null || imported.GetValueOrDefault(StateKey) != Printer.StateName(trial.State))
        {
            return trial;
        }

        if (imported.TryGetValue(StartKey, out var start))
        {
            trial.StartTime = ParseTime(start);
        }

        var requested = trial.State == Trial.Types.State.Requested;
        trial.EndTime = imported.TryGetValue(EndKey, out var end) ? ParseTime(end) : requested ? null : trial.EndTime;
        trial.ClientId = imported.GetValueOrDefault(ClientKey) ?? (requested ? trial.ClientId : string.Empty);
        trial.Measurements.Clear();
        if (imported.TryGetValue(MeasurementsKey, out var measurements))
        {
            // The stored array is a trial's measurements field: parsed once, without a JSON tree in between.
            trial.Measurements.AddRange(Printer.Parser.Parse<Trial>($"{{\"measurements\":{measurements}}}").Measurements);
        }

        return trial;
    }

    /// <summary>A timestamp in the protocol's JSON form (RFC 3339, nanoseconds kept).</summary>
    public static string Text(Timestamp time) => Printer.Format(time).Trim('"');

    public static Timestamp ParseTime(string text) => Printer.Parser.Parse<Timestamp>($"\"{text}\"");

    private static void Add(Trial trial, string key, string value) => trial.Metadata.Add(new KeyValue { Ns = Namespace, Key = key, Value = value });
}
