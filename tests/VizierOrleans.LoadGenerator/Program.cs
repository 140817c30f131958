using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using VizierOrleans.ClientGateway;
using VizierOrleans.ClientGateway.Hosting;
using VizierOrleans.LoadGenerator;
using VizierOrleans.Grains.Interfaces.Model;

// Drives a running Vizier cluster with W workers per study (threads in this process, or separate processes) and
// checks afterwards that every trial id was handed out once and every acknowledged completion is stored.
var workers = new Option<int>("--workers") { DefaultValueFactory = _ => 16, Description = "Workers per study" };
var trials = new Option<int>("--trials") { DefaultValueFactory = _ => 5000, Description = "Trials per study (its budget)" };
var studies = new Option<int>("--studies") { DefaultValueFactory = _ => 1, Description = "Studies run at once" };
var mode = new Option<string>("--mode") { DefaultValueFactory = _ => "threads" };
mode.AcceptOnlyFromAmong("threads", "processes");
var algorithm = new Option<string>("--algorithm") { DefaultValueFactory = _ => AlgorithmNames.RandomSearch };
var gateways = new Option<string[]>("--gateway") { AllowMultipleArgumentsPerToken = true, Description = "host:port (default 127.0.0.1:30000)" };
var output = new Option<string>("--output") { DefaultValueFactory = _ => "benchmark-results/load", Description = "Folder for the JSON and markdown results" };
var prefix = new Option<string>("--prefix") { DefaultValueFactory = _ => $"load-{DateTime.UtcNow:yyyyMMddHHmmss}", Description = "Study id prefix" };
var child = new Option<string?>("--child-log") { Description = "Internal: run one worker process and write its log here" };
var childStudy = new Option<string?>("--child-study") { Description = "Internal: the study of a worker process" };
var childId = new Option<string?>("--child-id") { Description = "Internal: the client id of a worker process" };
var grpcEndpoint = new Option<string?>("--grpc")
{
    Description = "host:port of a gRPC front door: workers then speak OSS Vizier's protocol (studies are still created with the Orleans client, which sets the trial budget)",
};

var retryBudget = new Option<double>("--retry-budget-seconds")
{
    DefaultValueFactory = _ => VizierRetryPipeline.DefaultBudget.TotalSeconds,
    Description = "How long a worker retries one call that meets passing faults (the client library's retry pipeline) before it gives up",
};
retryBudget.Validators.Add(r =>
{
    if (r.GetValue(retryBudget) is < 0 or double.NaN)
    {
        r.AddError("--retry-budget-seconds must be 0 or more.");
    }
});

var root = new RootCommand("Load generator for VizierOrleans") { workers, trials, studies, mode, algorithm, gateways, output, prefix, child, childStudy, childId, grpcEndpoint, retryBudget };

// Grain-storage latency straight against an Azure Table provider (no grains).
var connection = new Option<string>("--connection-string") { DefaultValueFactory = _ => "UseDevelopmentStorage=true" };
var operations = new Option<int>("--operations") { DefaultValueFactory = _ => 2000 };
var writers = new Option<int>("--writers") { DefaultValueFactory = _ => 16 };
var providers = new Option<string[]>("--provider") { DefaultValueFactory = _ => StorageBenchmark.Providers, AllowMultipleArgumentsPerToken = true, Description = "vizier (ours, no group commit), vizier-batched (ours), orleans (Microsoft.Orleans.Persistence.AzureStorage)" };
var storageCommand = new Command("storage", "Grain storage read/write latency on Azure Tables (Azurite locally), per provider") { connection, operations, writers, providers };
storageCommand.SetAction(async (parse, _) =>
{
    foreach (var provider in parse.GetValue(providers)!)
    {
        Console.WriteLine(await StorageBenchmark.RunAsync(parse.GetValue(connection)!, parse.GetValue(operations), parse.GetValue(writers), provider));
        Console.WriteLine();
    }

    return 0;
});
root.Subcommands.Add(storageCommand);

// The first call to a stored study after a silo (re)start: the study activates and loads its trials.
var studyName = new Option<string>("--study") { Required = true, Description = "owners/{owner}/studies/{id} of a stored study" };
var reactivateCommand = new Command("reactivate", "Times the first call to a stored study (its activation) and a full trial list") { studyName, gateways };
reactivateCommand.SetAction(async (parse, cancellationToken) =>
{
    var gatewayList = parse.GetValue(gateways) ?? [];
    await using var host = await VizierClientHost.ConnectAsync(o => o.Gateways.AddRange(gatewayList), cancellationToken: cancellationToken);
    var study = new VizierClient(host.ClusterClient) { RetryBudget = TimeSpan.Zero }.Study(parse.GetValue(studyName)!);
    var clock = Stopwatch.StartNew();
    StudyInfo info;
    try
    {
        info = await study.GetAsync();
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reactivate: first call failed after {clock.Elapsed.TotalMilliseconds:F0} ms: {e.GetType().Name}: {e.Message}"));
        return 2;
    }

    var activation = clock.Elapsed.TotalMilliseconds;
    clock.Restart();
    var listed = await study.ListTrialsAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"reactivate {info.Name}: first call {activation:F0} ms, then a list of {listed.Count} trials {clock.Elapsed.TotalMilliseconds:F0} ms"));
    return 0;
});
root.Subcommands.Add(reactivateCommand);

// Large studies after a silo restart (issue 14's table), on its own Azurite and silo.
var scaleTrials = new Option<int>("--trials") { DefaultValueFactory = _ => 100_000, Description = "Trials of the large study" };
var scaleSmall = new Option<int>("--small-trials") { DefaultValueFactory = _ => 1_000, Description = "Trials of the study suggest latency is compared with" };
var scaleParallel = new Option<int>("--parallel") { DefaultValueFactory = _ => 64, Description = "CreateTrial calls in flight while the studies are filled" };
var ownerStudies = new Option<int>("--owner-studies") { DefaultValueFactory = _ => 1_000, Description = "Studies of the owner whose listing is timed" };
var ownerTrials = new Option<int>("--owner-trials") { DefaultValueFactory = _ => 100, Description = "Trials of each of that owner's studies" };
var scaleParts = new Option<string[]>("--scenarios") { DefaultValueFactory = _ => ["large", "owner"], AllowMultipleArgumentsPerToken = true, Description = "Which rows: large (the large study), owner (the owner listing)" };
scaleParts.AcceptOnlyFromAmong("large", "owner");
var scaleCommand = new Command("scale", "Starts in-memory Azurite and a silo, creates a large study and a large owner through the service, restarts the silo and measures them cold")
{
    scaleTrials, scaleSmall, scaleParallel, ownerStudies, ownerTrials, scaleParts,
};
scaleCommand.SetAction((parse, cancellationToken) =>
    VizierOrleans.LoadGenerator.Scale.ScaleBenchmark.RunAsync(
        parse.GetValue(scaleTrials), parse.GetValue(scaleSmall), parse.GetValue(scaleParallel),
        parse.GetValue(ownerStudies), parse.GetValue(ownerTrials), parse.GetValue(scaleParts)!, cancellationToken));
root.Subcommands.Add(scaleCommand);
root.SetAction(async (parse, cancellationToken) =>
{
    var gatewayList = parse.GetValue(gateways) ?? [];
    await using var host = await VizierClientHost.ConnectAsync(o => o.Gateways.AddRange(gatewayList), cancellationToken: cancellationToken);
    // The load worker retries through the same pipeline as the client library, but counts each retry; the client's own
    // retries would hide them (and retry twice).
    var client = new VizierClient(host.ClusterClient) { RetryBudget = TimeSpan.Zero };
    var retry = new VizierRetryPipeline(TimeSpan.FromSeconds(parse.GetValue(retryBudget)), TimeProvider.System);

    var grpc = parse.GetValue(grpcEndpoint);
    async Task<WorkerLog> Run(StudyHandle study, string clientId)
    {
        if (grpc is null)
        {
            return await LoadWorker.RunAsync(new OrleansLoadTarget(study), clientId, retry, TimeProvider.System, cancellationToken);
        }

        using var target = new GrpcLoadTarget(grpc, study.Name);
        return await LoadWorker.RunAsync(target, clientId, retry, TimeProvider.System, cancellationToken);
    }

    if (parse.GetValue(child) is { } childLog)
    {
        var log = await Run(client.Study(parse.GetValue(childStudy)!), parse.GetValue(childId)!);
        await File.WriteAllTextAsync(childLog, JsonSerializer.Serialize(log), cancellationToken);
        return 0;
    }

    int w = parse.GetValue(workers), t = parse.GetValue(trials), s = parse.GetValue(studies);
    var handles = new List<StudyHandle>();
    for (var i = 0; i < s; i++)
    {
        handles.Add(await client.CreateOrLoadStudyAsync("load", $"{parse.GetValue(prefix)}-{i}", LoadWorker.Config(parse.GetValue(algorithm)!, t)));
    }

    var modeName = parse.GetValue(mode) + (grpc is null ? string.Empty : " over gRPC");
    AnsiConsole.MarkupLine($"{s} studies x {w} workers ({modeName}), {t} trials each");
    var clock = Stopwatch.StartNew();
    List<WorkerLog> logs;
    if (parse.GetValue(mode) == "threads")
    {
        logs = [.. await Task.WhenAll(handles.SelectMany(h => Enumerable.Range(0, w).Select(i =>
            Task.Run(() => Run(h, $"{h.Name.Split('/')[^1]}-thread-{i}"), cancellationToken))))];
    }
    else
    {
        var folder = Directory.CreateTempSubdirectory("vizier-load-");
        var processes = handles.SelectMany(h => Enumerable.Range(0, w).Select(i =>
        {
            var id = $"{h.Name.Split('/')[^1]}-process-{i}";
            var info = ThisProgram.StartInfo(
                "--child-log", Path.Combine(folder.FullName, id + ".json"), "--child-study", h.Name, "--child-id", id,
                "--retry-budget-seconds", parse.GetValue(retryBudget).ToString(CultureInfo.InvariantCulture));
            foreach (var g in gatewayList)
            {
                info.ArgumentList.Add("--gateway");
                info.ArgumentList.Add(g);
            }

            if (grpc is not null)
            {
                info.ArgumentList.Add("--grpc");
                info.ArgumentList.Add(grpc);
            }

            return Process.Start(info)!;
        })).ToList();
        await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(cancellationToken)));
        logs = [.. folder.GetFiles("*.json").Select(f => JsonSerializer.Deserialize<WorkerLog>(File.ReadAllText(f.FullName))!)];
        folder.Delete(recursive: true);
    }

    var seconds = clock.Elapsed.TotalSeconds;
    var stored = new Dictionary<string, IReadOnlyList<Trial>>();
    foreach (var h in handles)
    {
        stored[h.Name] = await h.ListTrialsAsync();
    }

    var errors = logs.SelectMany(l => l.Errors).ToList();
    var report = new LoadReport
    {
        Mode = modeName,
        Studies = s,
        WorkersPerStudy = w,
        TrialsPerStudy = t,
        Seconds = seconds,
        Completed = logs.Sum(l => l.Acknowledged.Count),
        Suggest = Percentiles.Of(logs.SelectMany(l => l.SuggestMs)),
        Complete = Percentiles.Of(logs.SelectMany(l => l.CompleteMs)),
        Errors = errors.Count,
        Failures = logs.Sum(l => l.Failures.Count),
        SuggestEarly = t >= 1000 ? Percentiles.Of(logs.SelectMany(l => l.SuggestByTrial).Where(x => x.TrialId <= 500).Select(x => x.Ms)) : null,
        SuggestLate = t >= 1000 ? Percentiles.Of(logs.SelectMany(l => l.SuggestByTrial).Where(x => x.TrialId > t - 500).Select(x => x.Ms)) : null,
        SampleErrors = [.. errors.Take(10)],
        Violations = LoadReport.Verify(stored, logs, t),
    };

    var folderOut = Directory.CreateDirectory(parse.GetValue(output)!);
    var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
    await File.WriteAllTextAsync(Path.Combine(folderOut.FullName, $"load-{stamp}.json"), report.ToJson(), cancellationToken);
    await File.WriteAllTextAsync(Path.Combine(folderOut.FullName, $"load-{stamp}.md"), report.ToMarkdown(), cancellationToken);
    Console.WriteLine(report.ToMarkdown());
    foreach (var e in report.SampleErrors)
    {
        Console.WriteLine($"error: {e}");
    }

    return report.Correct ? 0 : 2;
});
return await root.Parse(args).InvokeAsync();
