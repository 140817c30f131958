using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VizierOrleans.Cli.Output;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Cli.Transfer;

/// <summary>
/// The export files. jsonl: a first line <c>{"study": Study}</c>, then one <c>vizier.Trial</c> per line in protobuf's
/// JSON mapping (no resource name). csv: one row per trial with id, state, client, times, the final measurement's
/// steps and elapsed time, a <c>parameter:NAME</c> column per parameter and a <c>metric:NAME</c> column per metric.
/// </summary>
internal static class TrialFiles
{
    public const string ParameterPrefix = "parameter:";
    public const string MetricPrefix = "metric:";

    private static readonly string[] FixedColumns = ["id", "state", "client_id", "start_time", "end_time", "infeasible_reason", "steps", "elapsed"];

    public static async Task WriteJsonlAsync(TextWriter writer, Study study, IAsyncEnumerable<IReadOnlyList<Trial>> pages, Action<int> onPage)
    {
        await writer.WriteLineAsync(new JsonObject { ["study"] = Printer.Node(study) }.ToJsonString());
        await foreach (var page in pages)
        {
            foreach (var trial in page)
            {
                await writer.WriteLineAsync(Printer.Format(TrialTransfer.ToExport(trial)));
            }

            onPage(page.Count);
        }
    }

    /// <summary>Every line of a jsonl export; the first may carry the study. Errors name the file and line.</summary>
    public static (Study? Study, List<Trial> Trials) ReadJsonl(string path)
    {
        Study? study = null;
        var trials = new List<Trial>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                if (number == 1 && JsonNode.Parse(line) is JsonObject first && first.ContainsKey("study"))
                {
                    study = Printer.Parser.Parse<Study>(first["study"]!.ToJsonString());
                    continue;
                }

                trials.Add(Printer.Parser.Parse<Trial>(line));
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or JsonException or InvalidJsonException)
            {
                throw CliException.Usage($"{path}:{number}: not a vizier.Trial in protobuf JSON: {e.Message}");
            }
        }

        return (study, trials);
    }

    public static async Task WriteCsvAsync(TextWriter writer, Study study, IReadOnlyList<Trial> trials, Action onTrial)
    {
        var parameters = ParameterNames(study.StudySpec.Parameters).ToList();
        foreach (var name in trials.SelectMany(t => t.Parameters.Select(p => p.ParameterId)).Distinct().Where(n => !parameters.Contains(n)).ToList())
        {
            parameters.Add(name);
        }

        var metrics = study.StudySpec.Metrics.Select(m => m.MetricId).ToList();
        foreach (var name in trials.SelectMany(t => t.FinalMeasurement?.Metrics.Select(m => m.MetricId) ?? []).Distinct().Where(n => !metrics.Contains(n)).ToList())
        {
            metrics.Add(name);
        }

        await writer.WriteLineAsync(Row([.. FixedColumns, .. parameters.Select(p => ParameterPrefix + p), .. metrics.Select(m => MetricPrefix + m)]));
        foreach (var t in trials)
        {
            var values = t.Parameters.ToDictionary(p => p.ParameterId, p => Printer.ValueText(p.Value));
            var final = t.FinalMeasurement;
            var results = final?.Metrics.GroupBy(m => m.MetricId).ToDictionary(g => g.Key, g => Printer.Number(g.Last().Value)) ?? [];
            await writer.WriteLineAsync(Row([
                t.Id, Printer.StateName(t.State), t.ClientId,
                t.StartTime is null ? string.Empty : TrialTransfer.Text(t.StartTime),
                t.EndTime is null ? string.Empty : TrialTransfer.Text(t.EndTime),
                t.InfeasibleReason,
                final is null ? string.Empty : final.StepCount.ToString(CultureInfo.InvariantCulture),
                final?.ElapsedDuration is null ? string.Empty : Printer.Format(final.ElapsedDuration).Trim('"'),
                .. parameters.Select(p => values.GetValueOrDefault(p, string.Empty)),
                .. metrics.Select(m => results.GetValueOrDefault(m, string.Empty)),
            ]));
            onTrial();
        }
    }

    /// <summary>
    /// The trials of a csv export, typed by <paramref name="spec"/>: categorical parameters as strings, the others as
    /// numbers; an empty cell is a parameter the trial does not have (an inactive conditional child).
    /// </summary>
    public static List<Trial> ReadCsv(string path, StudySpec spec)
    {
        var categorical = Flatten(spec.Parameters).ToDictionary(p => p.ParameterId, p => p.ParameterValueSpecCase == StudySpec.Types.ParameterSpec.ParameterValueSpecOneofCase.CategoricalValueSpec);
        using var reader = new StreamReader(path);
        var header = ReadRow(reader) ?? throw CliException.Usage($"{path}: the file is empty.");
        foreach (var column in FixedColumns.Take(2).Where(c => !header.Contains(c)))
        {
            throw CliException.Usage($"{path}:1: no '{column}' column.");
        }

        foreach (var column in header.Where(h => h.StartsWith(ParameterPrefix, StringComparison.Ordinal) && !categorical.ContainsKey(h[ParameterPrefix.Length..])))
        {
            throw CliException.Usage($"{path}:1: column '{column}': the study has no parameter '{column[ParameterPrefix.Length..]}'.");
        }

        var trials = new List<Trial>();
        var line = 1;
        while (ReadRow(reader) is { } row)
        {
            line++;
            if (row.Count == 1 && row[0].Length == 0)
            {
                continue;
            }

            if (row.Count != header.Count)
            {
                throw CliException.Usage($"{path}:{line}: {row.Count} cells, the header has {header.Count}.");
            }

            var cells = header.Zip(row).ToDictionary(x => x.First, x => x.Second);
            trials.Add(CsvTrial(path, line, cells, categorical));
        }

        return trials;
    }

    private static Trial CsvTrial(string path, int line, Dictionary<string, string> cells, Dictionary<string, bool> categorical)
    {
        var where = $"{path}:{line}";
        var trial = new Trial
        {
            Id = cells["id"],
            State = Commands.TrialsCommands.ParseState(cells["state"], $"{where}: state"),
            ClientId = cells.GetValueOrDefault("client_id", string.Empty),
            InfeasibleReason = cells.GetValueOrDefault("infeasible_reason", string.Empty),
        };
        if (cells.GetValueOrDefault("start_time") is { Length: > 0 } start)
        {
            trial.StartTime = Time(start, $"{where}: start_time");
        }

        if (cells.GetValueOrDefault("end_time") is { Length: > 0 } end)
        {
            trial.EndTime = Time(end, $"{where}: end_time");
        }

        foreach (var (column, value) in cells.Where(c => c.Key.StartsWith(ParameterPrefix, StringComparison.Ordinal) && c.Value.Length > 0))
        {
            var name = column[ParameterPrefix.Length..];
            trial.Parameters.Add(new Trial.Types.Parameter
            {
                ParameterId = name,
                Value = categorical[name] ? Value.ForString(value) : Value.ForNumber(Number(value, $"{where}: {column}")),
            });
        }

        var metrics = cells.Where(c => c.Key.StartsWith(MetricPrefix, StringComparison.Ordinal) && c.Value.Length > 0).ToList();
        if (trial.State == Trial.Types.State.Succeeded)
        {
            var final = new Measurement();
            if (cells.GetValueOrDefault("steps") is { Length: > 0 } steps)
            {
                final.StepCount = long.TryParse(steps, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) ? s : throw CliException.Usage($"{where}: steps: '{steps}' is not a whole number.");
            }

            if (cells.GetValueOrDefault("elapsed") is { Length: > 0 } elapsed)
            {
                try
                {
                    final.ElapsedDuration = Printer.Parser.Parse<Duration>($"\"{elapsed}\"");
                }
                catch (InvalidProtocolBufferException)
                {
                    throw CliException.Usage($"{where}: elapsed: '{elapsed}' is not a duration such as 1.5s.");
                }
            }

            final.Metrics.AddRange(metrics.Select(m => new Measurement.Types.Metric { MetricId = m.Key[MetricPrefix.Length..], Value = Number(m.Value, $"{where}: {m.Key}") }));
            trial.FinalMeasurement = final;
        }

        return trial;
    }

    private static Timestamp Time(string value, string where)
    {
        try
        {
            return TrialTransfer.ParseTime(value);
        }
        catch (InvalidProtocolBufferException)
        {
            throw CliException.Usage($"{where}: '{value}' is not an RFC 3339 time.");
        }
    }

    private static double Number(string value, string where) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw CliException.Usage($"{where}: '{value}' is not a number.");

    private static IEnumerable<StudySpec.Types.ParameterSpec> Flatten(IEnumerable<StudySpec.Types.ParameterSpec> parameters) =>
        parameters.SelectMany(p => Flatten(p.ConditionalParameterSpecs.Select(c => c.ParameterSpec)).Prepend(p));

    private static IEnumerable<string> ParameterNames(IEnumerable<StudySpec.Types.ParameterSpec> parameters) => Flatten(parameters).Select(p => p.ParameterId).Distinct();

    private static string Row(IEnumerable<string> cells) => string.Join(',', cells.Select(Quote));

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    /// <summary>One RFC 4180 record (quoted cells may hold commas, quotes and line breaks), or null at the end.</summary>
    private static List<string>? ReadRow(TextReader reader)
    {
        if (reader.Peek() < 0)
        {
            return null;
        }

        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        while (true)
        {
            var c = reader.Read();
            if (quoted)
            {
                if (c < 0)
                {
                    break;
                }

                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        cell.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    cell.Append((char)c);
                }

                continue;
            }

            if (c is < 0 or '\n')
            {
                break;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                default:
                    cell.Append((char)c);
                    break;
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
