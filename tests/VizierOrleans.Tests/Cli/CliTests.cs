using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using VizierOrleans.Grpc.Protocol;
using VizierOrleans.Tests.Grpc;
using Spec = VizierOrleans.Grpc.Protocol.StudySpec.Types;

namespace VizierOrleans.Tests.Cli;

/// <summary>The <c>vizier</c> tool run as a process against silo processes and the standalone front door.</summary>
[Collection(CliCollection.Name)]
public sealed class CliTests(CliFixture fixture)
{
    /// <summary>The id of the running trial in <see cref="FullStudyAsync"/>, which an import makes a request.</summary>
    private const int RunningTrial = 6;

    private static readonly string ExampleSpec = Path.Combine(RepositoryPaths.Root, "samples", "cli", "study.yaml");

    [Fact]
    public async Task Studies_are_created_from_yaml_and_json_specs_listed_shown_set_inactive_and_deleted_only_when_confirmed()
    {
        var created = await fixture.RunAsync("studies", "create", "--spec", ExampleSpec, "--owner", "cli-studies", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("owners/cli-studies/studies/cli-example", created.Json["name"]!.GetValue<string>());
        var spec = created.Json["study_spec"]!;
        Assert.Equal(["learning_rate", "layers", "batch_size", "use_bias", "optimizer"], spec["parameters"]!.AsArray().Select(p => p!["parameter_id"]!.GetValue<string>()));
        Assert.Equal("UNIT_LOG_SCALE", spec["parameters"]![0]!["scale_type"]!.GetValue<string>());
        Assert.Equal("AS_BOOLEAN", spec["parameters"]![3]!["external_type"]!.GetValue<string>());
        var child = spec["parameters"]![4]!["conditional_parameter_specs"]![0]!;
        Assert.Equal("sgd", child["parent_categorical_values"]!["values"]![0]!.GetValue<string>());
        Assert.Equal("momentum", child["parameter_spec"]!["parameter_id"]!.GetValue<string>());
        Assert.Contains(spec["metadata"]!.AsArray(), kv => kv!["key"]!.GetValue<string>() == "max_trials" && kv["value"]!.GetValue<string>() == "20");

        var json = Path.Combine(Directory.CreateTempSubdirectory("vizier-cli-").FullName, "spec.json");
        await File.WriteAllTextAsync(json, """{"algorithm": "RANDOM_SEARCH", "metrics": [{"name": "acc", "goal": "MAXIMIZE"}], "parameters": [{"name": "x", "type": "INTEGER", "min": 1, "max": 3}]}""");
        var second = await fixture.RunAsync("studies", "create", "cli-studies/from-json", "--spec", json);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("owners/cli-studies/studies/from-json", second.Output, StringComparison.Ordinal);

        var list = await fixture.RunAsync("studies", "list", "--owner", "cli-studies", "--json");
        Assert.Equal(["cli-example", "from-json"], list.Json.AsArray().Select(s => s!["display_name"]!.GetValue<string>()));
        var table = await fixture.RunAsync("studies", "list", "--owner", "cli-studies");
        Assert.Contains("from-json", table.Output, StringComparison.Ordinal);
        Assert.Contains("RANDOM_SEARCH", table.Output, StringComparison.Ordinal);

        var show = await fixture.RunAsync("studies", "show", "cli-studies/cli-example");
        Assert.True(show.ExitCode == 0, show.ToString());
        // The budget's own row: "20" alone is in the creation date (2026-...) too.
        Assert.Matches(@"budget\W+20\W", show.Output);

        var inactive = await fixture.RunAsync("studies", "set-state", "owners/cli-studies/studies/from-json", "INACTIVE", "--json");
        Assert.Equal("INACTIVE", inactive.Json["state"]!.GetValue<string>());

        var declined = await CliRun.RunAsync(fixture.Endpoint, ["studies", "delete", "cli-studies/from-json"], input: "n\n");
        Assert.Equal(1, declined.ExitCode);
        Assert.Contains("not deleted", declined.Errors, StringComparison.Ordinal);
        Assert.Equal(0, (await fixture.RunAsync("studies", "show", "cli-studies/from-json")).ExitCode);

        var confirmed = await CliRun.RunAsync(fixture.Endpoint, ["studies", "delete", "cli-studies/from-json"], input: "y\n");
        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Equal(2, (await fixture.RunAsync("studies", "show", "cli-studies/from-json")).ExitCode);
        var forced = await fixture.RunAsync("studies", "delete", "cli-studies/cli-example", "--yes", "--json");
        Assert.Equal("owners/cli-studies/studies/cli-example", forced.Json["deleted"]!.GetValue<string>());
        Assert.Empty((await fixture.RunAsync("studies", "list", "--owner", "cli-studies", "--json")).Json.AsArray());
    }

    [Fact]
    public async Task A_bad_spec_file_is_refused_with_exit_1_naming_the_field_and_creates_nothing()
    {
        var dir = Directory.CreateTempSubdirectory("vizier-cli-").FullName;
        async Task<CliRun> CreateAsync(string yaml)
        {
            var path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".yaml");
            await File.WriteAllTextAsync(path, yaml);
            return await fixture.RunAsync("studies", "create", "cli-bad/s", "--spec", path);
        }

        var type = await CreateAsync("metrics: [{name: a, goal: MAXIMIZE}]\nparameters:\n  - {name: x, type: FLOAT, min: 0, max: 1}\n");
        Assert.Equal(1, type.ExitCode);
        Assert.Contains("parameters[0].type: 'FLOAT' is not one of DOUBLE", type.Errors, StringComparison.Ordinal);

        var unknown = await CreateAsync("metrics: [{name: a, goal: MAXIMIZE}]\nparameters: []\nmax_trial: 3\n");
        Assert.Contains("max_trial: unknown field", unknown.Errors, StringComparison.Ordinal);

        var child = await CreateAsync("metrics: [{name: a, goal: MAXIMIZE}]\nparameters:\n  - name: c\n    type: CATEGORICAL\n    values: [a, b]\n    children:\n      - parent_values: [a]\n        parameters: [{name: y, type: DOUBLE, min: 0}]\n");
        Assert.Equal(1, child.ExitCode);
        Assert.Contains("parameters[0].children[0].parameters[0].max: is missing.", child.Errors, StringComparison.Ordinal);

        // The service's own checks name the field too.
        var range = await CreateAsync("metrics: [{name: a, goal: MAXIMIZE}]\nparameters:\n  - {name: x, type: DOUBLE, min: 2, max: 1}\n");
        Assert.Equal(1, range.ExitCode);
        Assert.Contains("INVALID_ARGUMENT", range.Errors, StringComparison.Ordinal);
        Assert.Contains("parameters[0]", range.Errors, StringComparison.Ordinal);

        Assert.Empty((await fixture.RunAsync("studies", "list", "--owner", "cli-bad", "--json")).Json.AsArray());
    }

    [Fact]
    public async Task Trials_list_filters_by_state_client_and_limit_and_best_returns_the_pareto_front()
    {
        var spec = WireStudies.Small();
        spec.Metrics.Add(new Spec.MetricSpec { MetricId = "cost", Goal = Spec.MetricSpec.Types.GoalType.Minimize });
        var study = (await fixture.Client.CreateStudyAsync(WireStudies.Create("cli-trials", "front", spec))).Name;
        var a = WireStudies.Trials(await fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study, SuggestionCount = 3, ClientId = "a" })).Trials;
        WireStudies.Trials(await fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study, SuggestionCount = 1, ClientId = "b" }));
        (double Loss, double Cost)[] results = [(1, 3), (2, 1), (3, 4)];
        for (var i = 0; i < 3; i++)
        {
            var m = WireStudies.Measurement("loss", results[i].Loss);
            m.Metrics.Add(new Measurement.Types.Metric { MetricId = "cost", Value = results[i].Cost });
            await fixture.Client.CompleteTrialAsync(new CompleteTrialRequest { Name = a[i].Name, FinalMeasurement = m });
        }

        var all = await fixture.RunAsync("trials", "list", "cli-trials/front", "--json");
        Assert.Equal(["1", "2", "3", "4"], all.Json.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        var active = await fixture.RunAsync("trials", "list", "cli-trials/front", "--state", "ACTIVE", "--json");
        Assert.Equal(["4"], active.Json.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        var byClient = await fixture.RunAsync("trials", "list", "cli-trials/front", "--client", "a", "--state", "succeeded,active", "--limit", "2", "--json");
        Assert.Equal(["1", "2"], byClient.Json.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        var table = await fixture.RunAsync("trials", "list", "front", "--owner", "cli-trials");
        Assert.Contains("SUCCEEDED", table.Output, StringComparison.Ordinal);
        Assert.Contains("loss=2", table.Output, StringComparison.Ordinal);

        var show = await fixture.RunAsync("trials", "show", "cli-trials/front", "2", "--json");
        Assert.Equal("owners/cli-trials/studies/front/trials/2", show.Json["name"]!.GetValue<string>());
        Assert.Equal("a", show.Json["client_id"]!.GetValue<string>());

        // (1, 3) and (2, 1) are the Pareto front; (3, 4) is dominated by both.
        var best = await fixture.RunAsync("best", "cli-trials/front", "--json");
        Assert.True(best.ExitCode == 0, best.ToString());
        Assert.Equal(["1", "2"], best.Json.AsArray().Select(t => t!["id"]!.GetValue<string>()).Order());
        var bestTable = await fixture.RunAsync("best", "cli-trials/front");
        Assert.Contains("cost=1", bestTable.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_import_export_of_a_study_with_every_parameter_type_and_conditional_children_gives_the_same_trials()
    {
        var source = await FullStudyAsync(fixture.Client, "cli-roundtrip", "source");
        var dir = Directory.CreateTempSubdirectory("vizier-cli-").FullName;
        string first = Path.Combine(dir, "first.jsonl"), second = Path.Combine(dir, "second.jsonl");

        var export = await fixture.RunAsync("export", source, "--format", "jsonl", "-o", first);
        Assert.True(export.ExitCode == 0, export.ToString());
        var import = await fixture.RunAsync("import", "cli-roundtrip/copy", first, "--json");
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.True(import.Json["created_study"]!.GetValue<bool>());
        Assert.Equal(7, import.Json["trials"]!.GetValue<int>());
        Assert.Equal(0, (await fixture.RunAsync("export", "cli-roundtrip/copy", "-o", second)).ExitCode);

        var a = await File.ReadAllLinesAsync(first);
        var b = await File.ReadAllLinesAsync(second);
        Assert.Equal(8, a.Length);
        Assert.Equal(a.Length, b.Length);
        Assert.Equal(JsonNode.Parse(a[0])!["study"]!["study_spec"]!.ToJsonString(), JsonNode.Parse(b[0])!["study"]!["study_spec"]!.ToJsonString());
        for (var i = 1; i < a.Length; i++)
        {
            if (i != RunningTrial)
            {
                Assert.Equal(a[i], b[i]);
            }
        }

        // The running trial came back as a request: same parameters, not running, nobody's.
        var running = Printer(a[RunningTrial]);
        var requested = Printer(b[RunningTrial]);
        Assert.Equal(Trial.Types.State.Active, running.State);
        Assert.Equal(Trial.Types.State.Requested, requested.State);
        Assert.Equal(running.Parameters, requested.Parameters);
        Assert.Equal(string.Empty, requested.ClientId);

        // And what the round trip keeps is really there: intermediate curves, infeasibility, metadata, both branches.
        var trials = a[1..].Select(Printer).ToList();
        Assert.Equal(2, trials[0].Measurements.Count);
        Assert.Equal("diverged", trials.Single(t => t.State == Trial.Types.State.Infeasible).InfeasibleReason);
        Assert.Contains(trials, t => t.Metadata.Any(kv => kv.Key == "note" && kv.Value == "first"));
        Assert.Contains(trials, t => t.Parameters.Any(p => p.ParameterId == "momentum"));
        Assert.Contains(trials, t => t.Parameters.Any(p => p.ParameterId == "opt" && p.Value.StringValue == "adam") && t.Parameters.All(p => p.ParameterId != "momentum"));

        // A second import (warm start) into the new study adds the same trials again after the first ones.
        var again = await fixture.RunAsync("import", "cli-roundtrip/copy", first, "--parallel", "4", "--json");
        Assert.Equal(Enumerable.Range(8, 7).Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(), again.Json["trial_ids"]!.AsArray().Select(x => x!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task A_csv_export_imports_into_a_study_with_the_same_spec_and_exports_the_same_rows()
    {
        var source = await FullStudyAsync(fixture.Client, "cli-csv", "source");
        var spec = (await fixture.Client.GetStudyAsync(new GetStudyRequest { Name = source })).StudySpec;
        await fixture.Client.CreateStudyAsync(new CreateStudyRequest { Parent = "owners/cli-csv", Study = new Study { DisplayName = "target", StudySpec = spec } });
        var dir = Directory.CreateTempSubdirectory("vizier-cli-").FullName;
        string first = Path.Combine(dir, "first.csv"), second = Path.Combine(dir, "second.csv");

        Assert.Equal(0, (await fixture.RunAsync("export", source, "--format", "csv", "-o", first)).ExitCode);
        var import = await fixture.RunAsync("import", "cli-csv/target", first);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal(0, (await fixture.RunAsync("export", "cli-csv/target", "--format", "csv", "-o", second)).ExitCode);

        var a = await File.ReadAllLinesAsync(first);
        var b = await File.ReadAllLinesAsync(second);
        Assert.Equal("id,state,client_id,start_time,end_time,infeasible_reason,steps,elapsed,parameter:lr,parameter:layers,parameter:bs,parameter:flag,parameter:opt,parameter:momentum,metric:loss", a[0]);
        Assert.Equal(a.Length, b.Length);
        Assert.Equal(a.Where((_, i) => i != RunningTrial), b.Where((_, i) => i != RunningTrial));
        Assert.StartsWith("6,ACTIVE,w2,", a[RunningTrial], StringComparison.Ordinal);
        Assert.StartsWith("6,REQUESTED,,", b[RunningTrial], StringComparison.Ordinal);

        var missing = await fixture.RunAsync("import", "cli-csv/absent", first);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("STUDY: owners/cli-csv/studies/absent does not exist", missing.Errors, StringComparison.Ordinal);

        var bad = Path.Combine(dir, "bad.csv");
        var cells = a[2].Split(',');
        cells[8] = "abc";
        await File.WriteAllLinesAsync(bad, [a[0], a[1], string.Join(',', cells)]);
        var refused = await fixture.RunAsync("import", "cli-csv/target", bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("bad.csv:3: parameter:lr: 'abc' is not a number", refused.Errors, StringComparison.Ordinal);
        Assert.Equal(7, (await fixture.RunAsync("trials", "list", "cli-csv/target", "--json")).Json.AsArray().Count);
    }

    [Fact]
    public async Task Copy_moves_spec_metadata_state_and_trials_to_a_silo_of_another_cluster()
    {
        var source = await FullStudyAsync(fixture.Client, "cli-copy", "source");
        var meta = new UpdateMetadataRequest { Name = source };
        meta.Delta.Add(new UnitMetadataUpdate { Metadatum = new KeyValue { Key = "owner-note", Value = "migrated" } });
        await fixture.Client.UpdateMetadataAsync(meta);
        await fixture.Client.SetStudyStateAsync(new SetStudyStateRequest { Parent = source, State = Study.Types.State.Inactive });

        var copy = await fixture.RunAsync("copy", source, "cli-copy/moved", "--to-endpoint", fixture.OtherEndpoint, "--json");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal(7, copy.Json["trials"]!.GetValue<int>());

        var moved = await fixture.OtherClient.GetStudyAsync(new GetStudyRequest { Name = "owners/cli-copy/studies/moved" });
        Assert.Equal(Study.Types.State.Inactive, moved.State);
        Assert.Contains(moved.StudySpec.Metadata, kv => kv.Key == "owner-note" && kv.Value == "migrated");
        var original = await fixture.Client.GetStudyAsync(new GetStudyRequest { Name = source });
        Assert.Equal(original.StudySpec, moved.StudySpec);

        var dir = Directory.CreateTempSubdirectory("vizier-cli-").FullName;
        Assert.Equal(0, (await fixture.RunAsync("export", source, "-o", Path.Combine(dir, "a.jsonl"))).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync(fixture.OtherEndpoint, ["export", "cli-copy/moved", "-o", Path.Combine(dir, "b.jsonl")])).ExitCode);
        var a = await File.ReadAllLinesAsync(Path.Combine(dir, "a.jsonl"));
        var b = await File.ReadAllLinesAsync(Path.Combine(dir, "b.jsonl"));
        Assert.Equal(a.Length, b.Length);
        Assert.Equal(a.Where((_, i) => i is > 0 and not RunningTrial), b.Where((_, i) => i is > 0 and not RunningTrial));

        // Not on the first silo, and never over an existing study.
        Assert.Equal(2, (await fixture.RunAsync("studies", "show", "cli-copy/moved")).ExitCode);
        var twice = await fixture.RunAsync("copy", source, "cli-copy/moved", "--to-endpoint", fixture.OtherEndpoint);
        Assert.Equal(3, twice.ExitCode);
        Assert.Contains("DST: owners/cli-copy/studies/moved already exists", twice.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shell_script_workers_drive_a_study_to_the_end_of_its_budget_with_ask_and_tell_while_watch_follows()
    {
        var dir = Directory.CreateTempSubdirectory("vizier-cli-").FullName;
        var spec = Path.Combine(dir, "budget.yaml");
        await File.WriteAllTextAsync(spec, "algorithm: RANDOM_SEARCH\nmax_trials: 6\nmetrics: [{name: loss, goal: MINIMIZE}]\nparameters:\n  - {name: x, type: DOUBLE, min: 0, max: 1}\n  - {name: opt, type: CATEGORICAL, values: [adam, sgd]}\n");
        Assert.Equal(0, (await fixture.RunAsync("studies", "create", "cli-workers/budget", "--spec", spec)).ExitCode);

        var watch = fixture.RunAsync("watch", "cli-workers/budget", "--interval", "0.2", "--json");
        var script = Path.Combine(dir, "worker.sh");
        await File.WriteAllTextAsync(script, """
            #!/usr/bin/env bash
            # A worker in shell: ask for a trial, evaluate (x - 0.3)^2, tell the result; stop when ask exits 3.
            set -u
            while true; do
              out=$(dotnet "$VIZIER_CLI" ask cli-workers/budget --client-id "$1")
              rc=$?
              if [ $rc -eq 3 ]; then exit 0; fi
              if [ $rc -ne 0 ]; then exit $rc; fi
              id=""; x=""
              while IFS='=' read -r key value; do
                case "$key" in trial_id) id=$value ;; x) x=$value ;; esac
              done <<< "$out"
              loss=$(awk -v x="$x" 'BEGIN { printf "%.6f", (x - 0.3) * (x - 0.3) }')
              dotnet "$VIZIER_CLI" tell cli-workers/budget "$id" --metric "loss=$loss" > /dev/null || exit $?
            done
            """.Replace("\r", string.Empty, StringComparison.Ordinal));
        var workers = new[] { "shell-1", "shell-2" }.Select(id => RunScriptAsync(script, id)).ToList();
        foreach (var worker in workers)
        {
            var run = await worker;
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        var trials = (await fixture.RunAsync("trials", "list", "cli-workers/budget", "--json")).Json.AsArray();
        Assert.Equal(6, trials.Count);
        Assert.All(trials, t => Assert.Equal("SUCCEEDED", t!["state"]!.GetValue<string>()));
        Assert.All(trials, t => Assert.Contains(t!["client_id"]!.GetValue<string>(), new[] { "shell-1", "shell-2" }));
        var losses = trials.ToDictionary(t => t!["id"]!.GetValue<string>(), t => t!["final_measurement"]!["metrics"]![0]!["value"]!.GetValue<double>());
        foreach (var t in trials)
        {
            var x = t!["parameters"]!.AsArray().Single(p => p!["parameter_id"]!.GetValue<string>() == "x")!["value"]!.GetValue<double>();
            Assert.Equal(Math.Round((x - 0.3) * (x - 0.3), 6), losses[t["id"]!.GetValue<string>()], 9);
        }

        var watched = await watch;
        Assert.True(watched.ExitCode == 0, watched.ToString());
        var last = JsonNode.Parse(watched.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!;
        Assert.Equal("COMPLETED", last["state"]!.GetValue<string>());
        Assert.Equal(6, last["completed"]!.GetValue<int>());
        Assert.Equal(6, last["budget"]!.GetValue<int>());
        Assert.Equal(6, last["by_state"]!["SUCCEEDED"]!.GetValue<int>());
        Assert.Empty(last["active_workers"]!.AsObject());
        var bestId = losses.MinBy(kv => kv.Value).Key;
        Assert.Equal(bestId, last["best"]![0]!["id"]!.GetValue<string>());

        var done = await fixture.RunAsync("ask", "cli-workers/budget", "--client-id", "late");
        Assert.Equal(3, done.ExitCode);
        Assert.Contains("COMPLETED", done.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_prints_json_and_tell_completes_or_marks_infeasible_with_exit_codes_for_bad_calls()
    {
        var study = (await fixture.Client.CreateStudyAsync(WireStudies.Create("cli-ask", "s", WireStudies.Small()))).Name;
        var ask = await fixture.RunAsync("ask", study, "--client-id", "w", "--json");
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Equal("1", ask.Json["trial_id"]!.GetValue<string>());
        var x = ask.Json["parameters"]!["x"]!.GetValue<double>();
        Assert.InRange(x, 0, 1);
        Assert.Contains(ask.Json["parameters"]!["opt"]!.GetValue<string>(), new[] { "adam", "sgd" });

        // The same client gets its unfinished trial back.
        var again = await fixture.RunAsync("ask", study, "--client-id", "w");
        Assert.StartsWith("trial_id=1\n", again.Output.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains($"x={x.ToString("R", CultureInfo.InvariantCulture)}", again.Output, StringComparison.Ordinal);

        var told = await fixture.RunAsync("tell", study, "1", "--metric", "loss=0.25", "--json");
        Assert.Equal("SUCCEEDED", told.Json["state"]!.GetValue<string>());
        Assert.Equal(0.25, told.Json["final_measurement"]!["metrics"]![0]!["value"]!.GetValue<double>());

        var different = await fixture.RunAsync("tell", study, "1", "--metric", "loss=0.5");
        Assert.Equal(3, different.ExitCode);
        Assert.Contains("FAILED_PRECONDITION", different.Errors, StringComparison.Ordinal);

        Assert.Equal(0, (await fixture.RunAsync("ask", study, "--client-id", "w")).ExitCode);
        var infeasible = await fixture.RunAsync("tell", study, "2", "--infeasible", "out of memory", "--json");
        Assert.Equal("INFEASIBLE", infeasible.Json["state"]!.GetValue<string>());
        Assert.Equal("out of memory", infeasible.Json["infeasible_reason"]!.GetValue<string>());

        var neither = await fixture.RunAsync("tell", study, "3");
        Assert.Equal(1, neither.ExitCode);
        Assert.Contains("--metric / --infeasible", neither.Errors, StringComparison.Ordinal);
        var badMetric = await fixture.RunAsync("tell", study, "3", "--metric", "loss");
        Assert.Contains("--metric: 'loss' is not name=value", badMetric.Errors, StringComparison.Ordinal);
        var badTrial = await fixture.RunAsync("tell", study, "three", "--metric", "loss=1");
        Assert.Equal(1, badTrial.ExitCode);
        Assert.Contains("TRIAL: 'three' is not a trial id", badTrial.Errors, StringComparison.Ordinal);
        var missingTrial = await fixture.RunAsync("tell", study, "99", "--metric", "loss=1");
        Assert.Equal(2, missingTrial.ExitCode);
    }

    [Fact]
    public async Task Exit_codes_are_2_for_missing_3_for_failed_preconditions_4_for_unreachable_endpoints_and_1_for_usage()
    {
        var missing = await fixture.RunAsync("studies", "show", "cli-exit/nope");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("NOT_FOUND", missing.Errors, StringComparison.Ordinal);
        Assert.Equal(2, (await fixture.RunAsync("trials", "list", "cli-exit/nope")).ExitCode);
        Assert.Equal(2, (await fixture.RunAsync("export", "cli-exit/nope")).ExitCode);

        var study = (await fixture.Client.CreateStudyAsync(WireStudies.Create("cli-exit", "done", WireStudies.Small()))).Name;
        await fixture.Client.SetStudyStateAsync(new SetStudyStateRequest { Parent = study, State = Study.Types.State.Completed });
        var ask = await fixture.RunAsync("ask", study, "--client-id", "w");
        Assert.Equal(3, ask.ExitCode);

        var unreachable = await CliRun.RunAsync($"127.0.0.1:{SiloProcess.FreePort()}", ["studies", "list", "--owner", "x"]);
        Assert.Equal(4, unreachable.ExitCode);
        Assert.Contains("UNAVAILABLE", unreachable.Errors, StringComparison.Ordinal);

        var noOwner = await fixture.RunAsync("trials", "list", "lonely");
        Assert.Equal(1, noOwner.ExitCode);
        Assert.Contains("STUDY: 'lonely' names no owner", noOwner.Errors, StringComparison.Ordinal);
        var listWithout = await fixture.RunAsync("studies", "list");
        Assert.Equal(1, listWithout.ExitCode);
        Assert.Contains("--owner", listWithout.Errors, StringComparison.Ordinal);
        Assert.Equal(1, (await fixture.RunAsync("trials", "list")).ExitCode);
        Assert.Equal(1, (await fixture.RunAsync("export", study, "--format", "xml")).ExitCode);
        var state = await fixture.RunAsync("trials", "list", study, "--state", "DONE");
        Assert.Equal(1, state.ExitCode);
        Assert.Contains("--state: 'DONE' is not a trial state", state.Errors, StringComparison.Ordinal);
        var endpoint = await CliRun.RunAsync("not a host", ["studies", "list", "--owner", "x"]);
        Assert.Equal(1, endpoint.ExitCode);
        Assert.Contains("--endpoint", endpoint.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_works_through_the_standalone_front_door_with_an_api_key()
    {
        var key = new Dictionary<string, string> { ["VIZIER_API_KEY"] = CliFixture.ApiKey };
        var refused = await CliRun.RunAsync(fixture.FrontDoorEndpoint, ["studies", "list", "--owner", "cli-door"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("UNAUTHENTICATED", refused.Errors, StringComparison.Ordinal);

        var created = await CliRun.RunAsync(fixture.FrontDoorEndpoint, ["studies", "create", "cli-door/example", "--spec", ExampleSpec], environment: key);
        Assert.True(created.ExitCode == 0, created.ToString());
        var list = await CliRun.RunAsync(fixture.FrontDoorEndpoint, ["studies", "list", "--owner", "cli-door", "--json", "--api-key", CliFixture.ApiKey]);
        Assert.Equal(["owners/cli-door/studies/example"], list.Json.AsArray().Select(s => s!["name"]!.GetValue<string>()));

        var ask = await CliRun.RunAsync(fixture.FrontDoorEndpoint, ["ask", "cli-door/example", "--client-id", "door", "--json"], environment: key);
        Assert.True(ask.ExitCode == 0, ask.ToString());
        var id = ask.Json["trial_id"]!.GetValue<string>();
        var tell = await CliRun.RunAsync(fixture.FrontDoorEndpoint, ["tell", "cli-door/example", id, "-m", "loss=1.5", "--json"], environment: key);
        Assert.Equal("SUCCEEDED", tell.Json["state"]!.GetValue<string>());

        // The front door and the silo serve the same cluster.
        var best = await fixture.RunAsync("best", "cli-door/example", "--json");
        Assert.Equal(id, best.Json[0]!["id"]!.GetValue<string>());
        var export = await CliRun.RunAsync(fixture.FrontDoorEndpoint, ["export", "cli-door/example", "--format", "csv"], environment: key);
        Assert.Contains("metric:loss", export.Output, StringComparison.Ordinal);
    }

    private static Trial Printer(string line) => Google.Protobuf.JsonParser.Default.Parse<Trial>(line);

    private Task<CliRun> RunScriptAsync(string script, string clientId) => CliRun.RunScriptAsync(fixture.Endpoint, script, clientId);

    /// <summary>
    /// A study with every parameter type and a conditional child, and trials 1-7: succeeded ones (one with an
    /// intermediate curve and metadata, both branches of the condition), an infeasible one, a requested one and, last,
    /// a running one.
    /// </summary>
    internal static async Task<string> FullStudyAsync(VizierService.VizierServiceClient client, string owner, string id)
    {
        var spec = WireStudies.Example();
        spec.Metrics.Clear();
        spec.Metrics.Add(new Spec.MetricSpec { MetricId = "loss", Goal = Spec.MetricSpec.Types.GoalType.Minimize });
        var opt = spec.Parameters.Single(p => p.ParameterId == "opt");
        spec.Parameters.Remove(opt);
        opt.ConditionalParameterSpecs.Add(new Spec.ParameterSpec.Types.ConditionalParameterSpec
        {
            ParentCategoricalValues = new() { Values = { "sgd" } },
            ParameterSpec = new Spec.ParameterSpec { ParameterId = "momentum", DoubleValueSpec = new() { MinValue = 0, MaxValue = 0.99 } },
        });
        spec.Parameters.Add(opt);
        spec.Metadata.Add(new KeyValue { Ns = ":team", Key = "purpose", Value = "round trip" });
        var study = (await client.CreateStudyAsync(WireStudies.Create(owner, id, spec))).Name;

        Trial Make(Trial.Types.State state, double lr, long layers, double bs, string flag, string opt, double? momentum)
        {
            var t = new Trial { State = state, Id = "0" };
            t.Parameters.Add(new Trial.Types.Parameter { ParameterId = "lr", Value = Value.ForNumber(lr) });
            t.Parameters.Add(new Trial.Types.Parameter { ParameterId = "layers", Value = Value.ForNumber(layers) });
            t.Parameters.Add(new Trial.Types.Parameter { ParameterId = "bs", Value = Value.ForNumber(bs) });
            t.Parameters.Add(new Trial.Types.Parameter { ParameterId = "flag", Value = Value.ForString(flag) });
            t.Parameters.Add(new Trial.Types.Parameter { ParameterId = "opt", Value = Value.ForString(opt) });
            if (momentum is double m)
            {
                t.Parameters.Add(new Trial.Types.Parameter { ParameterId = "momentum", Value = Value.ForNumber(m) });
            }

            return t;
        }

        // 1-4 suggested and worked on by clients w1 and w2; 1 with an intermediate curve and metadata.
        var suggested = WireStudies.Trials(await client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study, SuggestionCount = 2, ClientId = "w1" })).Trials
            .Concat(WireStudies.Trials(await client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study, SuggestionCount = 2, ClientId = "w2" })).Trials).ToList();
        await client.AddTrialMeasurementAsync(new AddTrialMeasurementRequest { TrialName = suggested[0].Name, Measurement = WireStudies.Measurement("loss", 0.9, steps: 10, seconds: 1.25) });
        await client.AddTrialMeasurementAsync(new AddTrialMeasurementRequest { TrialName = suggested[0].Name, Measurement = WireStudies.Measurement("loss", 0.5, steps: 20, seconds: 2.5) });
        var meta = new UpdateMetadataRequest { Name = study };
        meta.Delta.Add(new UnitMetadataUpdate { TrialId = "1", Metadatum = new KeyValue { Key = "note", Value = "first" } });
        meta.Delta.Add(new UnitMetadataUpdate { TrialId = "1", Metadatum = new KeyValue { Ns = ":tb", Key = "run", Value = "a/b" } });
        await client.UpdateMetadataAsync(meta);
        await client.CompleteTrialAsync(new CompleteTrialRequest { Name = suggested[0].Name, FinalMeasurement = WireStudies.Measurement("loss", 0.4, steps: 30, seconds: 3.75) });
        await client.CompleteTrialAsync(new CompleteTrialRequest { Name = suggested[1].Name, FinalMeasurement = WireStudies.Measurement("loss", 1.0 / 3) });
        await client.CompleteTrialAsync(new CompleteTrialRequest { Name = suggested[2].Name, TrialInfeasible = true, InfeasibleReason = "diverged" });
        await client.CompleteTrialAsync(new CompleteTrialRequest { Name = suggested[3].Name, FinalMeasurement = WireStudies.Measurement("loss", 2.5e-7) });

        // 5 hand-made with a result in the sgd branch; 6 running (w2 asks again and gets a new one); 7 only requested, adam.
        var five = Make(Trial.Types.State.Succeeded, 0.001, 3, 32, "True", "sgd", 0.9);
        five.FinalMeasurement = WireStudies.Measurement("loss", 0.125);
        await client.CreateTrialAsync(new CreateTrialRequest { Parent = study, Trial = five });
        var running = WireStudies.Trials(await client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study, SuggestionCount = 1, ClientId = "w2" })).Trials;
        Assert.Equal(RunningTrial.ToString(CultureInfo.InvariantCulture), Assert.Single(running).Id);
        await client.CreateTrialAsync(new CreateTrialRequest { Parent = study, Trial = Make(Trial.Types.State.Requested, 0.01, 2, 64, "False", "adam", null) });
        return study;
    }
}
