using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using VizierOrleans.Cli.Output;
using VizierOrleans.Cli.Specs;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Cli.Commands;

/// <summary><c>vizier studies list|show|create|set-state|delete</c>.</summary>
internal static class StudiesCommands
{
    public static Command Build()
    {
        var studies = new Command("studies", "List, show, create, change the state of, or delete studies.");
        studies.Subcommands.Add(List());
        studies.Subcommands.Add(Show());
        studies.Subcommands.Add(Create());
        studies.Subcommands.Add(SetState());
        studies.Subcommands.Add(Delete());
        return studies;
    }

    public static Argument<string> StudyArgument(string name = "STUDY") => new(name) { Description = "OWNER/STUDY, owners/OWNER/studies/STUDY, or STUDY with --owner." };

    private static Command List()
    {
        var command = new Command("list", "The studies of an owner (--owner or VIZIER_OWNER).");
        command.SetAction(async (c, ct) =>
        {
            var owner = c.Owner is { Length: > 0 } o ? o : throw CliException.Usage("--owner: `studies list` needs an owner (--owner or VIZIER_OWNER).");
            var studies = await c.Client.ListAllStudiesAsync(owner, ct);
            if (c.Json)
            {
                c.Printer.WriteJson(studies);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("name", "study id", "state", "algorithm", "parameters", "metrics", "created");
            foreach (var s in studies)
            {
                table.AddRow(Printer.Cells(s.Name, s.DisplayName, Printer.StateName(s.State), s.StudySpec.Algorithm,
                    string.Join(", ", s.StudySpec.Parameters.Select(p => p.ParameterId)), string.Join(", ", s.StudySpec.Metrics.Select(m => m.MetricId)), Printer.Time(s.CreateTime)));
            }

            c.Printer.Out.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var study = StudyArgument();
        var command = new Command("show", "A study: its state, spec and trial counts.") { study };
        command.SetAction(async (c, ct) =>
        {
            var s = await c.Client.GetStudyAsync(new GetStudyRequest { Name = c.Study(study) }, cancellationToken: ct);
            if (c.Json)
            {
                c.Printer.WriteJson(s);
                return ExitCodes.Ok;
            }

            var trials = await c.Client.ListAllTrialsAsync(s.Name, ct);
            WriteStudy(c.Printer, s, trials);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Create()
    {
        var spec = new Option<string>("--spec") { Description = "A study spec file, JSON or YAML (schema: src/Cli/README.md).", Required = true };
        var study = new Argument<string?>("STUDY") { Description = "OWNER/STUDY; default: owner and study_id from the spec file.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("create", "Create a study from a spec file (create-or-load: an existing study with that id is returned as it is).") { study, spec };
        command.SetAction(async (c, ct) =>
        {
            var file = StudySpecFile.Read(c.Get(spec));
            string name;
            if (c.Get(study) is { } given)
            {
                name = StudyNames.Study(given, c.Owner ?? file.Owner, "STUDY");
            }
            else
            {
                var owner = c.Owner ?? file.Owner ?? throw CliException.Usage("owner: give STUDY as OWNER/STUDY, --owner, or `owner` in the spec file.");
                var id = file.StudyId ?? throw CliException.Usage("study_id: give STUDY, or `study_id` in the spec file.");
                name = StudyNames.Study($"{owner}/{id}", null, "study_id");
            }

            var created = await c.Client.CreateNamedStudyAsync(name, file.Spec, ct);
            if (c.Json)
            {
                c.Printer.WriteJson(created);
            }
            else
            {
                c.Printer.Out.MarkupLineInterpolated($"created [bold]{created.Name}[/] ({Printer.StateName(created.State)})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetState()
    {
        var study = StudyArgument();
        var state = new Argument<string>("STATE") { Description = "ACTIVE, INACTIVE or COMPLETED." };
        state.AcceptOnlyFromAmong("ACTIVE", "INACTIVE", "COMPLETED");
        var command = new Command("set-state", "Set a study's state: INACTIVE and COMPLETED studies hand out no trials and refuse changes.") { study, state };
        command.SetAction(async (c, ct) =>
        {
            var value = c.Get(state) switch
            {
                "ACTIVE" => Study.Types.State.Active,
                "INACTIVE" => Study.Types.State.Inactive,
                _ => Study.Types.State.Completed,
            };
            var s = await c.Client.SetStudyStateAsync(new SetStudyStateRequest { Parent = c.Study(study), State = value }, cancellationToken: ct);
            if (c.Json)
            {
                c.Printer.WriteJson(s);
            }
            else
            {
                c.Printer.Out.MarkupLineInterpolated($"{s.Name} is {Printer.StateName(s.State)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete()
    {
        var study = StudyArgument();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask." };
        var command = new Command("delete", "Delete a study and all its trials (asks first unless --yes).") { study, yes };
        command.SetAction(async (c, ct) =>
        {
            var name = c.Study(study);
            var s = await c.Client.GetStudyAsync(new GetStudyRequest { Name = name }, cancellationToken: ct);
            if (!c.Get(yes))
            {
                var trials = await c.Client.ListAllTrialsAsync(name, ct);
                await Console.Error.WriteAsync($"Delete {s.Name} and its {trials.Count} trials? [y/N] ");
                var answer = await Console.In.ReadLineAsync(ct);
                if (answer?.Trim().ToUpperInvariant() is not ("Y" or "YES"))
                {
                    throw CliException.Usage($"{name} was not deleted (answer y, or pass --yes).");
                }
            }

            await c.Client.DeleteStudyAsync(new DeleteStudyRequest { Name = name }, cancellationToken: ct);
            if (c.Json)
            {
                c.Printer.WriteJson(new JsonObject { ["deleted"] = name });
            }
            else
            {
                c.Printer.Out.MarkupLineInterpolated($"deleted {name}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The trial budget of a study, when its spec carries one.</summary>
    public static int? BudgetOf(Study study) =>
        study.StudySpec?.Metadata.LastOrDefault(kv => kv.Ns == StudySpecFile.BudgetNamespace && kv.Key == StudySpecFile.BudgetKey) is { } kv
        && int.TryParse(kv.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var max) ? max : null;

    /// <summary>Parameters depth first, each child with the parent values that make it active.</summary>
    private static IEnumerable<(StudySpec.Types.ParameterSpec Parameter, string Condition)> Flatten(IEnumerable<StudySpec.Types.ParameterSpec> parameters, string? condition)
    {
        foreach (var p in parameters)
        {
            yield return (p, condition ?? string.Empty);
            foreach (var c in p.ConditionalParameterSpecs)
            {
                IEnumerable<string> values = c.ParentValueConditionCase switch
                {
                    StudySpec.Types.ParameterSpec.Types.ConditionalParameterSpec.ParentValueConditionOneofCase.ParentCategoricalValues => c.ParentCategoricalValues.Values,
                    StudySpec.Types.ParameterSpec.Types.ConditionalParameterSpec.ParentValueConditionOneofCase.ParentIntValues => c.ParentIntValues.Values.Select(v => v.ToString(CultureInfo.InvariantCulture)),
                    StudySpec.Types.ParameterSpec.Types.ConditionalParameterSpec.ParentValueConditionOneofCase.ParentDiscreteValues => c.ParentDiscreteValues.Values.Select(Printer.Number),
                    _ => [],
                };
                foreach (var child in Flatten([c.ParameterSpec], $" (when {p.ParameterId} in {{{string.Join(", ", values)}}})"))
                {
                    yield return child;
                }
            }
        }
    }

    private static string Describe(StudySpec.Types.ParameterSpec p)
    {
        var scale = p.ScaleType switch
        {
            StudySpec.Types.ParameterSpec.Types.ScaleType.UnitLogScale => " LOG",
            StudySpec.Types.ParameterSpec.Types.ScaleType.UnitReverseLogScale => " REVERSE_LOG",
            _ => string.Empty,
        };
        return p.ParameterValueSpecCase switch
        {
            StudySpec.Types.ParameterSpec.ParameterValueSpecOneofCase.DoubleValueSpec => $"DOUBLE [{Printer.Number(p.DoubleValueSpec.MinValue)}, {Printer.Number(p.DoubleValueSpec.MaxValue)}]{scale}",
            StudySpec.Types.ParameterSpec.ParameterValueSpecOneofCase.IntegerValueSpec => $"INTEGER [{p.IntegerValueSpec.MinValue}, {p.IntegerValueSpec.MaxValue}]{scale}",
            StudySpec.Types.ParameterSpec.ParameterValueSpecOneofCase.DiscreteValueSpec => $"DISCRETE {{{string.Join(", ", p.DiscreteValueSpec.Values.Select(Printer.Number))}}}{scale}",
            StudySpec.Types.ParameterSpec.ParameterValueSpecOneofCase.CategoricalValueSpec when p.ExternalType == StudySpec.Types.ParameterSpec.Types.ExternalType.AsBoolean => "BOOLEAN",
            StudySpec.Types.ParameterSpec.ParameterValueSpecOneofCase.CategoricalValueSpec => $"CATEGORICAL {{{string.Join(", ", p.CategoricalValueSpec.Values)}}}",
            _ => "(no values)",
        };
    }

    private static void WriteStudy(Printer printer, Study s, List<Trial> trials)
    {
        var table = new Table().AddColumns("field", "value").HideHeaders();
        table.AddRow(Printer.Cells("name", s.Name));
        table.AddRow(Printer.Cells("state", Printer.StateName(s.State) + (s.InactiveReason.Length > 0 ? $" ({s.InactiveReason})" : string.Empty)));
        table.AddRow(Printer.Cells("algorithm", s.StudySpec.Algorithm));
        table.AddRow(Printer.Cells("created", Printer.Time(s.CreateTime)));
        table.AddRow(Printer.Cells("budget", BudgetOf(s)?.ToString(CultureInfo.InvariantCulture) ?? "none"));
        foreach (var m in s.StudySpec.Metrics)
        {
            table.AddRow(Printer.Cells("metric " + m.MetricId, m.Goal.ToString().ToUpperInvariant()));
        }

        foreach (var (p, condition) in Flatten(s.StudySpec.Parameters, null))
        {
            table.AddRow(Printer.Cells("parameter " + p.ParameterId, Describe(p) + condition));
        }

        var counts = trials.GroupBy(t => t.State).OrderBy(g => g.Key).Select(g => $"{Printer.StateName(g.Key)} {g.Count()}");
        table.AddRow(Printer.Cells("trials", $"{trials.Count} ({string.Join(", ", counts)})"));
        printer.Out.Write(table);
    }
}
