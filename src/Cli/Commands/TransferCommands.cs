using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using VizierOrleans.Cli.Output;
using VizierOrleans.Cli.Transfer;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Cli.Commands;

/// <summary><c>vizier export</c>, <c>vizier import</c> and <c>vizier copy</c>.</summary>
internal static class TransferCommands
{
    public static Command BuildExport()
    {
        var study = StudiesCommands.StudyArgument();
        var format = new Option<string>("--format", "-f") { Description = "jsonl (every field; `import` reads it back exactly) or csv (one row per trial).", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var output = new Option<string?>("--output", "-o") { Description = "The file to write; default stdout." };
        var command = new Command("export", "Write a study's trials (parameters, metrics, states, times, measurements) to a file.") { study, format, output };
        command.SetAction(async (c, ct) =>
        {
            var name = c.Study(study);
            var s = await c.Client.GetStudyAsync(new GetStudyRequest { Name = name }, cancellationToken: ct);
            var path = c.Get(output);
            await using var writer = path is null ? Console.Out : new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
            var count = 0;
            if (c.Get(format) == "csv")
            {
                // The columns come from every trial's parameters and metrics: read them all first.
                var trials = await ProgressBar.RunAsync(c.Printer, $"reading {name}", 1, async _ => await c.Client.ListAllTrialsAsync(name, ct));
                var exported = trials.ConvertAll(TrialTransfer.ToExport);
                await TrialFiles.WriteCsvAsync(writer, s, exported, () => count++);
            }
            else
            {
                // jsonl streams: each page is written while the next one is on its way.
                await ProgressBar.RunAsync(c.Printer, $"exporting {name}", null, async report =>
                {
                    await TrialFiles.WriteJsonlAsync(writer, s, c.Client.TrialPagesAsync(name, ct), n =>
                    {
                        count += n;
                        report(n);
                    });
                    return count;
                });
            }

            await writer.FlushAsync(ct);
            if (path is not null)
            {
                await Console.Error.WriteLineAsync($"exported {count} trials of {name} to {path}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command BuildImport()
    {
        var study = StudiesCommands.StudyArgument();
        var file = new Argument<string>("FILE") { Description = "A jsonl or csv export." };
        var format = new Option<string?>("--format", "-f") { Description = "jsonl or csv; default from the file name (.csv is csv, anything else jsonl)." };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var parallel = new Option<int>("--parallel") { Description = "Trials created at once. 1 (the default) keeps the file's order, so trial ids follow it; more is faster, ids in any order.", DefaultValueFactory = _ => 1 };
        var command = new Command("import", "Add a file's trials to a study (warm start): completed trials as SUCCEEDED or INFEASIBLE, the others as REQUESTED. A jsonl export creates the study from its spec when it does not exist.") { study, file, format, parallel };
        command.SetAction(async (c, ct) =>
        {
            var name = c.Study(study);
            var path = c.Get(file);
            if (!File.Exists(path))
            {
                throw CliException.Usage($"FILE: {path} does not exist.");
            }

            if (c.Get(parallel) < 1)
            {
                throw CliException.Usage($"--parallel: must be at least 1, was {c.Get(parallel)}.");
            }

            var csv = (c.Get(format) ?? (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "jsonl")) == "csv";
            Study? header = null;
            List<Trial>? trials = null;
            if (!csv)
            {
                (header, trials) = TrialFiles.ReadJsonl(path);
            }

            var target = await c.Client.FindStudyAsync(name, ct);
            var created = false;
            if (target is null)
            {
                if (header is null)
                {
                    throw new CliException(ExitCodes.NotFound, $"STUDY: {name} does not exist; create it first (vizier studies create), or import a jsonl export, whose first line carries the study's spec.");
                }

                target = await c.Client.CreateNamedStudyAsync(name, header.StudySpec, ct);
                created = true;
            }

            trials ??= TrialFiles.ReadCsv(path, target.StudySpec);
            var ids = await CreateTrialsAsync(c, c.Client, name, trials, c.Get(parallel), $"importing into {name}", ct);
            Report(c, "imported", name, created, ids);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command BuildCopy()
    {
        var source = StudiesCommands.StudyArgument("SRC");
        var destination = StudiesCommands.StudyArgument("DST");
        var toEndpoint = new Option<string?>("--to-endpoint") { Description = "The endpoint of DST; default the same as SRC's (--endpoint)." };
        var toApiKey = new Option<string?>("--to-api-key") { Description = "The API key for --to-endpoint; default --api-key." };
        var parallel = new Option<int>("--parallel") { Description = "Trials created at once (1 keeps the ids in order).", DefaultValueFactory = _ => 1 };
        var command = new Command("copy", "Copy a study, its spec, metadata, state and trials, to a new study on this or another endpoint (migration).") { source, destination, toEndpoint, toApiKey, parallel };
        command.SetAction(async (c, ct) =>
        {
            var from = c.Study(source);
            var to = c.Study(destination);
            if (c.Get(parallel) < 1)
            {
                throw CliException.Usage($"--parallel: must be at least 1, was {c.Get(parallel)}.");
            }

            var src = await c.Client.GetStudyAsync(new GetStudyRequest { Name = from }, cancellationToken: ct);
            var trials = (await c.Client.ListAllTrialsAsync(from, ct)).Select(TrialTransfer.ToExport).ToList();
            using var other = c.Get(toEndpoint) is { } endpoint ? new VizierConnection(endpoint, c.Get(toApiKey) ?? c.ParseResult.GetValue(GlobalOptions.ApiKey)) : null;
            var client = other?.Client ?? c.Client;
            if (await client.FindStudyAsync(to, ct) is not null)
            {
                throw new CliException(ExitCodes.FailedPrecondition, $"DST: {to} already exists{(other is null ? string.Empty : " at " + other.Endpoint)}; copy makes a new study (use import to add trials to an existing one).");
            }

            await client.CreateNamedStudyAsync(to, src.StudySpec, ct);
            var ids = await CreateTrialsAsync(c, client, to, trials, c.Get(parallel), $"copying {from}", ct);
            if (src.State != Study.Types.State.Active)
            {
                await client.SetStudyStateAsync(new SetStudyStateRequest { Parent = to, State = src.State }, cancellationToken: ct);
            }

            Report(c, "copied", to, true, ids);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>CreateTrial for each trial, <paramref name="parallel"/> at a time; returns the new ids in the trials' order.</summary>
    private static Task<string[]> CreateTrialsAsync(CommandContext c, VizierService.VizierServiceClient client, string study, List<Trial> trials, int parallel, string label, CancellationToken cancellationToken) =>
        ProgressBar.RunAsync(c.Printer, label, trials.Count, async report =>
        {
            var ids = new string[trials.Count];
            var requests = trials.Select(TrialTransfer.ToImport).ToList();
            await Parallel.ForAsync(0, requests.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                try
                {
                    ids[i] = (await client.CreateTrialAsync(new CreateTrialRequest { Parent = study, Trial = requests[i] }, cancellationToken: ct)).Id;
                }
                catch (global::Grpc.Core.RpcException e)
                {
                    var source = trials[i].Id is { Length: > 0 } id ? $"trial {id}" : $"trial #{i + 1}";
                    throw new global::Grpc.Core.RpcException(new global::Grpc.Core.Status(e.StatusCode, $"{source} of the input: {e.Status.Detail} ({ids.Count(x => x is not null)} trials were created before it)"));
                }

                report(1);
            });
            return ids;
        });

    private static void Report(CommandContext c, string verb, string study, bool created, string[] ids)
    {
        if (c.Json)
        {
            c.Printer.WriteJson(new JsonObject { ["study"] = study, ["created_study"] = created, ["trials"] = ids.Length, ["trial_ids"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id))]) });
        }
        else
        {
            c.Printer.Out.MarkupLineInterpolated($"{verb} {ids.Length} trials into {study}{(created ? " (new study)" : string.Empty)}");
        }
    }
}
