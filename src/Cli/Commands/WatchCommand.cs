using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;
using VizierOrleans.Cli.Output;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Cli.Commands;

/// <summary><c>vizier watch</c>: a live view of a study until it completes (or Ctrl-C).</summary>
internal static class WatchCommand
{
    public static Command Build()
    {
        var study = StudiesCommands.StudyArgument();
        var interval = new Option<double>("--interval") { Description = "Seconds between refreshes.", DefaultValueFactory = _ => 1.0 };
        var command = new Command("watch", "Follow a study live: trials by state, best so far, trials/s, active workers by client id, progress towards the budget. Ends when the study is no longer ACTIVE, or on Ctrl-C. --json prints one snapshot per line.") { study, interval };
        command.SetAction(async (c, ct) =>
        {
            var name = c.Study(study);
            var period = TimeSpan.FromSeconds(c.Get(interval) is > 0 and var s ? s : throw CliException.Usage($"--interval: must be positive, was {c.Get(interval)}."));
            var watch = new Watch(c, name);
            try
            {
                if (c.Json || Console.IsOutputRedirected)
                {
                    await watch.PrintAsync(period, ct);
                }
                else
                {
                    await watch.LiveAsync(period, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C ends the view; the study goes on.
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed class Watch(CommandContext c, string name)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int? _completedAtStart;

        public async Task PrintAsync(TimeSpan period, CancellationToken cancellationToken)
        {
            while (true)
            {
                var snapshot = await SnapshotAsync(cancellationToken);
                if (c.Json)
                {
                    Console.Out.WriteLine(snapshot.Json.ToJsonString());
                }
                else
                {
                    c.Printer.Out.Write(snapshot.View);
                }

                if (snapshot.Finished)
                {
                    return;
                }

                await Task.Delay(period, cancellationToken);
            }
        }

        public async Task LiveAsync(TimeSpan period, CancellationToken cancellationToken)
        {
            var first = await SnapshotAsync(cancellationToken);
            await c.Printer.Out.Live(first.View).AutoClear(false).StartAsync(async live =>
            {
                var snapshot = first;
                while (!snapshot.Finished)
                {
                    await Task.Delay(period, cancellationToken);
                    snapshot = await SnapshotAsync(cancellationToken);
                    live.UpdateTarget(snapshot.View);
                }
            });
        }

        private async Task<Snapshot> SnapshotAsync(CancellationToken cancellationToken)
        {
            var study = await c.Client.GetStudyAsync(new GetStudyRequest { Name = name }, cancellationToken: cancellationToken);
            var trials = await c.Client.ListAllTrialsAsync(name, cancellationToken);
            var best = await c.Client.ListOptimalTrialsAsync(new ListOptimalTrialsRequest { Parent = name }, cancellationToken: cancellationToken);
            var counts = Printer.TrialStates.ToDictionary(s => s, s => trials.Count(t => t.State == s));
            var completed = counts[Trial.Types.State.Succeeded] + counts[Trial.Types.State.Infeasible];
            _completedAtStart ??= completed;
            var seconds = _clock.Elapsed.TotalSeconds;
            var rate = seconds > 0 ? (completed - _completedAtStart.Value) / seconds : 0;
            var workers = trials.Where(t => t.State is Trial.Types.State.Active or Trial.Types.State.Stopping && t.ClientId.Length > 0)
                .GroupBy(t => t.ClientId).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
            var budget = StudiesCommands.BudgetOf(study);

            var json = new JsonObject
            {
                ["study"] = name,
                ["state"] = Printer.StateName(study.State),
                ["trials"] = trials.Count,
                ["by_state"] = new JsonObject(counts.Select(kv => KeyValuePair.Create(Printer.StateName(kv.Key), (JsonNode?)kv.Value))),
                ["completed"] = completed,
                ["budget"] = budget,
                ["trials_per_second"] = Math.Round(rate, 3),
                ["active_workers"] = new JsonObject(workers.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["best"] = new JsonArray([.. best.OptimalTrials.Select(Printer.Node)]),
            };

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow(new Text("study"), new Text($"{name} ({Printer.StateName(study.State)})"));
            grid.AddRow(new Text("trials"), new Text($"{trials.Count}: " + string.Join(", ", counts.Where(kv => kv.Value > 0).Select(kv => $"{Printer.StateName(kv.Key)} {kv.Value}"))));
            grid.AddRow(new Text("trials/s"), new Text(rate.ToString("0.00", CultureInfo.InvariantCulture) + " (completed since the watch began)"));
            grid.AddRow(new Text("workers"), new Text(workers.Count == 0 ? "none active" : string.Join(", ", workers.Select(kv => $"{kv.Key} ({kv.Value})"))));
            foreach (var t in best.OptimalTrials.Take(5))
            {
                grid.AddRow(new Text($"best #{t.Id}"), new Text($"{Printer.Metrics(t)}  [{Printer.Parameters(t)}]"));
            }

            var rows = new List<IRenderable> { grid };
            if (budget is int max)
            {
                rows.Add(new BreakdownChart().Width(60).AddItem("completed", completed, Color.Green).AddItem("open", Math.Max(0, max - completed), Color.Grey));
                rows.Add(new Text($"{completed} of {max} trials ({100.0 * completed / max:0}%)"));
            }

            return new Snapshot(json, new Rows(rows), study.State != Study.Types.State.Active);
        }
    }

    private sealed record Snapshot(JsonObject Json, IRenderable View, bool Finished);
}
