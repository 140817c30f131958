using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using VizierOrleans.Cli.Output;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Cli.Commands;

/// <summary><c>vizier ask</c> and <c>vizier tell</c>: a shell script as a worker.</summary>
internal static class WorkerCommands
{
    public static Command BuildAsk()
    {
        var study = StudiesCommands.StudyArgument();
        var clientId = new Option<string>("--client-id")
        {
            Description = "The worker's id: the same id gets its unfinished trial back first. Default VIZIER_CLIENT_ID, else the host name.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("VIZIER_CLIENT_ID") is { Length: > 0 } id ? id : Environment.MachineName,
        };
        var command = new Command("ask", "Get a trial to evaluate: prints trial_id=ID and one name=value line per parameter (--json: an object). Exit 3 when the study hands out no more trials.") { study, clientId };
        command.SetAction(async (c, ct) =>
        {
            var name = c.Study(study);
            var response = await c.Client.SuggestAsync(name, 1, c.Get(clientId), ct);
            if (response.Trials.Count == 0)
            {
                throw new CliException(ExitCodes.FailedPrecondition, $"{name} is {Printer.StateName(response.StudyState)} and handed out no trial.");
            }

            var trial = response.Trials[0];
            if (c.Json)
            {
                var parameters = new JsonObject();
                foreach (var p in trial.Parameters)
                {
                    parameters[p.ParameterId] = p.Value.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NumberValue
                        ? JsonValue.Create(p.Value.NumberValue)
                        : JsonValue.Create(Printer.ValueText(p.Value));
                }

                c.Printer.WriteJson(new JsonObject { ["trial_id"] = trial.Id, ["name"] = trial.Name, ["parameters"] = parameters });
            }
            else
            {
                Console.Out.WriteLine($"trial_id={trial.Id}");
                foreach (var p in trial.Parameters)
                {
                    Console.Out.WriteLine($"{p.ParameterId}={Printer.ValueText(p.Value)}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command BuildTell()
    {
        var study = StudiesCommands.StudyArgument();
        var trial = new Argument<string>("TRIAL") { Description = "The trial id `ask` printed." };
        var metrics = new Option<string[]>("--metric", "-m") { Description = "A final metric, name=value (repeat for several)." };
        var infeasible = new Option<string?>("--infeasible") { Description = "Complete the trial as infeasible, with this reason." };
        var command = new Command("tell", "Complete a trial with its metrics, or as infeasible.") { study, trial, metrics, infeasible };
        command.SetAction(async (c, ct) =>
        {
            var given = c.Get(metrics) ?? [];
            var reason = c.Get(infeasible);
            if ((given.Length > 0) == (reason is not null))
            {
                throw CliException.Usage("--metric / --infeasible: give either one or more --metric name=value, or --infeasible REASON.");
            }

            var request = new CompleteTrialRequest { Name = StudyNames.Trial(c.Study(study), c.Get(trial), "TRIAL") };
            if (reason is not null)
            {
                request.TrialInfeasible = true;
                request.InfeasibleReason = reason;
            }
            else
            {
                request.FinalMeasurement = new Measurement();
                foreach (var m in given)
                {
                    var parts = m.Split('=', 2);
                    if (parts.Length != 2 || parts[0].Length == 0 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    {
                        throw CliException.Usage($"--metric: '{m}' is not name=value with a number.");
                    }

                    request.FinalMeasurement.Metrics.Add(new Measurement.Types.Metric { MetricId = parts[0], Value = value });
                }
            }

            var completed = await c.Client.CompleteTrialAsync(request, cancellationToken: ct);
            if (c.Json)
            {
                c.Printer.WriteJson(completed);
            }
            else
            {
                Console.Out.WriteLine($"{completed.Name} {Printer.StateName(completed.State)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
