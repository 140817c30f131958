using System.CommandLine;
using VizierOrleans.Cli.Output;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Cli.Commands;

/// <summary><c>vizier trials list|show</c> and <c>vizier best</c>.</summary>
internal static class TrialsCommands
{
    public static Command Build()
    {
        var trials = new Command("trials", "List or show a study's trials.");
        trials.Subcommands.Add(List());
        trials.Subcommands.Add(Show());
        return trials;
    }

    public static Command BuildBest()
    {
        var study = StudiesCommands.StudyArgument();
        var command = new Command("best", "The optimal trials: the best one, or the Pareto front for several objectives.") { study };
        command.SetAction(async (c, ct) =>
        {
            var best = await c.Client.ListOptimalTrialsAsync(new ListOptimalTrialsRequest { Parent = c.Study(study) }, cancellationToken: ct);
            if (c.Json)
            {
                c.Printer.WriteJson(best.OptimalTrials);
            }
            else
            {
                c.Printer.WriteTrials(best.OptimalTrials);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A trial state by name (case-insensitive); <paramref name="argument"/> names the option in errors.</summary>
    public static Trial.Types.State ParseState(string value, string argument)
    {
        var name = value.ToUpperInvariant();
        return Printer.TrialStates.FirstOrDefault(s => Printer.StateName(s) == name) is var state && state != Trial.Types.State.Unspecified
            ? state
            : throw CliException.Usage($"{argument}: '{value}' is not a trial state ({string.Join(", ", Printer.TrialStates.Select(Printer.StateName))}).");
    }

    private static Command List()
    {
        var study = StudiesCommands.StudyArgument();
        var state = new Option<string[]>("--state") { Description = "Only trials in these states (repeat, or comma-separated).", AllowMultipleArgumentsPerToken = true };
        var client = new Option<string?>("--client") { Description = "Only trials assigned to this client id." };
        var limit = new Option<int?>("--limit") { Description = "At most this many trials (the first by id)." };
        var command = new Command("list", "A study's trials in id order.") { study, state, client, limit };
        command.SetAction(async (c, ct) =>
        {
            var states = (c.Get(state) ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(s => ParseState(s, "--state")).ToHashSet();
            if (c.Get(limit) is < 0)
            {
                throw CliException.Usage($"--limit: must not be negative, was {c.Get(limit)}.");
            }

            var id = c.Get(client);
            var n = c.Get(limit);
            var list = new List<Trial>();

            // Pages only until --limit trials matched: the first 10 of a 100,000-trial study are one ListTrials call.
            await foreach (var page in c.Client.TrialPagesAsync(c.Study(study), ct))
            {
                list.AddRange(page.Where(t => (states.Count == 0 || states.Contains(t.State)) && (id is null || t.ClientId == id)));
                if (list.Count >= n)
                {
                    list.RemoveRange(n.Value, list.Count - n.Value);
                    break;
                }
            }

            if (c.Json)
            {
                c.Printer.WriteJson(list);
            }
            else
            {
                c.Printer.WriteTrials(list);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var study = StudiesCommands.StudyArgument();
        var trial = new Argument<string>("TRIAL") { Description = "The trial id." };
        var command = new Command("show", "One trial with its parameters, measurements and metadata.") { study, trial };
        command.SetAction(async (c, ct) =>
        {
            var t = await c.Client.GetTrialAsync(new GetTrialRequest { Name = StudyNames.Trial(c.Study(study), c.Get(trial), "TRIAL") }, cancellationToken: ct);
            if (c.Json)
            {
                c.Printer.WriteJson(t);
            }
            else
            {
                c.Printer.WriteTrial(t);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
