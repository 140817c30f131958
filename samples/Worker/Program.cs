using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using VizierOrleans.ClientGateway;
using VizierOrleans.ClientGateway.AzureStorage;
using VizierOrleans.ClientGateway.Hosting;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Worker;

// The PyGlove seed's three ways to parallelize one evaluation loop: threads in one process, several processes on one
// machine, or several machines (run this program on each, pointing --gateway at the cluster). Every worker runs the
// same loop: ask the study for a trial, evaluate it, report the result, until the budget is used.
var workers = new Option<int>("--workers") { Description = "How many workers", DefaultValueFactory = _ => 4 };
var mode = new Option<string>("--mode") { Description = "threads or processes", DefaultValueFactory = _ => "threads" };
mode.AcceptOnlyFromAmong("threads", "processes");
var trials = new Option<int>("--trials") { Description = "Trial budget of the study", DefaultValueFactory = _ => 60 };
var owner = new Option<string>("--owner") { DefaultValueFactory = _ => "demo" };
var study = new Option<string>("--study") { Description = "Study id (default: a new one per run)", DefaultValueFactory = _ => $"kernel-ridge-{DateTime.UtcNow:yyyyMMdd-HHmmss}" };
var algorithm = new Option<string>("--algorithm") { DefaultValueFactory = _ => AlgorithmNames.Default };
var gateways = new Option<string[]>("--gateway") { Description = "Gateway host:port (repeatable; default 127.0.0.1:30000)", AllowMultipleArgumentsPerToken = true };
var workerId = new Option<string?>("--worker-id") { Description = "Run as one worker process with this client id (used by --mode processes)" };
var delay = new Option<int>("--evaluation-delay-ms") { Description = "Extra time per evaluation, to stand in for an expensive objective", DefaultValueFactory = _ => 0 };
var lease = new Option<double?>("--trial-lease-seconds") { Description = "Give a silent worker's trials to others after this long" };

var root = new RootCommand("Tunes kernel ridge regression on a Vizier cluster with several workers.")
{
    workers, mode, trials, owner, study, algorithm, gateways, workerId, delay, lease,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var gatewayList = parse.GetValue(gateways) ?? [];
    // Explicit gateways, else the Azure Table gateway list when Vizier__AzureTables__* is set, else the local silo.
    await using var host = await AzureTableClientHost.ConnectAsync(o => o.Gateways.AddRange(gatewayList), cancellationToken);
    var objective = new KernelRidgeObjective();
    var studyId = parse.GetValue(study)!;
    var config = KernelRidgeObjective.StudyConfig(parse.GetValue(algorithm)!, parse.GetValue(trials)) with
    {
        TrialLease = parse.GetValue(lease) is double seconds ? TimeSpan.FromSeconds(seconds) : null,
    };
    var handle = await host.Client.CreateOrLoadStudyAsync(parse.GetValue(owner)!, studyId, config);
    var evaluationDelay = TimeSpan.FromMilliseconds(parse.GetValue(delay));

    if (parse.GetValue(workerId) is { } id)
    {
        var done = await RunWorkerAsync(handle, objective, id, evaluationDelay, cancellationToken);
        Console.WriteLine($"{id}: evaluated {done} trials");
        return 0;
    }

    var count = parse.GetValue(workers);
    AnsiConsole.MarkupLine($"[bold]{handle.Name}[/]: {count} workers as {parse.GetValue(mode)}, budget {parse.GetValue(trials)} trials");
    var clock = Stopwatch.StartNew();
    if (parse.GetValue(mode) == "threads")
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            Task.Run(() => RunWorkerAsync(handle, objective, $"{Environment.MachineName}-thread-{i}", evaluationDelay, cancellationToken), cancellationToken)));
        AnsiConsole.MarkupLine($"Per worker: {string.Join(", ", counts)}");
    }
    else
    {
        var children = Enumerable.Range(0, count).Select(i =>
        {
            List<string> arguments =
            [
                "--worker-id", $"{Environment.MachineName}-process-{i}", "--study", studyId, "--owner", parse.GetValue(owner)!,
                "--algorithm", parse.GetValue(algorithm)!, "--trials", parse.GetValue(trials).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--evaluation-delay-ms", parse.GetValue(delay).ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. gatewayList.SelectMany(g => new[] { "--gateway", g }),
            ];
            if (parse.GetValue(lease) is double seconds)
            {
                arguments.AddRange(["--trial-lease-seconds", seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture)]);
            }

            return Process.Start(ThisProgram.StartInfo(arguments))!;
        }).ToList();
        await Task.WhenAll(children.Select(c => c.WaitForExitAsync(cancellationToken)));
        if (children.Any(c => c.ExitCode != 0))
        {
            AnsiConsole.MarkupLine("[red]A worker process failed.[/]");
            return 1;
        }
    }

    await ReportAsync(handle, clock.Elapsed);
    return 0;
});
return await root.Parse(args).InvokeAsync();

static async Task<int> RunWorkerAsync(StudyHandle study, KernelRidgeObjective objective, string clientId, TimeSpan delay, CancellationToken cancellationToken) =>
    await study.RunWorkerAsync(clientId, async (trial, token) =>
    {
        Console.WriteLine($"{clientId}: evaluating trial {trial.Id}");
        await Task.Delay(delay, token);
        var result = objective.Evaluate(trial);
        Console.WriteLine($"{clientId}: trial {trial.Id} {Describe(trial.Parameters)} -> validation_rmse {result.Metrics["validation_rmse"]:F4}");
        return result;
    }, cancellationToken);

static async Task ReportAsync(StudyHandle study, TimeSpan elapsed)
{
    var all = await study.ListTrialsAsync();
    var best = (await study.ListOptimalTrialsAsync()).FirstOrDefault();
    var info = await study.GetAsync();
    var table = new Table().HideHeaders().AddColumns("what", "value");
    table.AddRow("study", study.Name);
    table.AddRow("state", $"{info.State} ({info.StateReason})");
    table.AddRow("trials", $"{all.Count} ({all.Count(t => t.State == TrialState.Succeeded)} succeeded, {all.Count(t => t.State == TrialState.Infeasible)} infeasible)");
    table.AddRow("best trial", best is null ? "-" : $"{best.Id}, validation RMSE {best.FinalMeasurement!.Metrics["validation_rmse"]:F4}");
    table.AddRow("best parameters", Markup.Escape(best is null ? "-" : Describe(best.Parameters)));
    table.AddRow("wall time", $"{elapsed.TotalSeconds:F1} s");
    AnsiConsole.Write(table);
}

static string Describe(IEnumerable<KeyValuePair<string, ParameterValue>> parameters) =>
    string.Join(" ", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={(p.Value.Text ?? p.Value.AsDouble().ToString("G4"))}"));
