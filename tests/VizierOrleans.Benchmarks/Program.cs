using System.CommandLine;
using VizierOrleans.Bbob;
using VizierOrleans.Bbob.Problems;
using VizierOrleans.Benchmarks;
using VizierOrleans.ClientGateway.Hosting;
using VizierOrleans.Grains.Interfaces.Model;

var algorithms = new Option<string[]>("--algorithms") { AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [AlgorithmNames.GaussianProcessBandit] };
var peers = new Option<string[]>("--peers")
{
    AllowMultipleArgumentsPerToken = true,
    DefaultValueFactory = _ => [],
    Description = $"Optuna samplers run in Python on the same problems: {string.Join(", ", OptunaPeers.Names)}",
};
var functions = new Option<string[]>("--functions") { AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [.. BbobFunctions.Names] };
var dimensions = new Option<int[]>("--dimensions") { AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [2, 4, 8, 16] };
var seeds = new Option<int>("--seeds") { DefaultValueFactory = _ => 10 };
var trials = new Option<int>("--trials") { DefaultValueFactory = _ => 100 };
var parallel = new Option<int>("--parallel") { DefaultValueFactory = _ => 1, Description = "Trials in flight (workers), results arriving out of order" };
var rotated = new Option<bool>("--rotated") { Description = "Also rotate the functions (seeded orthogonal matrices)" };
var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount };
var output = new Option<string?>("--output") { Description = "Write the markdown table to this file too" };
var plots = new Option<string?>("--plots") { Description = "Write convergence plots (PNG) to this folder" };
var gateway = new Option<string?>("--gateway") { Description = "Run through a live silo at host:port (the service path) instead of in-process" };

string? UnknownPeers(string[] names) =>
    names.Except(OptunaPeers.Names).ToList() is { Count: > 0 } unknown ? $"Unknown peers: {string.Join(", ", unknown)} (known: {string.Join(", ", OptunaPeers.Names)})" : null;

async Task<int> WriteAsync(string table, ParseResult parse, CancellationToken cancellationToken)
{
    Console.WriteLine(table);
    if (parse.GetValue(output) is { } path)
    {
        await File.WriteAllTextAsync(path, table, cancellationToken);
    }

    return 0;
}

var quality = new Command("quality", "Median final optimality gap and log-efficiency on shifted (optionally rotated) BBOB, against RANDOM_SEARCH and the Optuna peers")
{
    algorithms, peers, functions, dimensions, seeds, trials, parallel, rotated, threads, output, gateway, plots,
};
quality.SetAction(async (parse, cancellationToken) =>
{
    var unknown = parse.GetValue(functions)!.Except(BbobFunctions.Names).ToList();
    if (unknown.Count > 0 || UnknownPeers(parse.GetValue(peers)!) is not null)
    {
        Console.Error.WriteLine(unknown.Count > 0 ? $"Unknown functions: {string.Join(", ", unknown)}" : UnknownPeers(parse.GetValue(peers)!));
        return 1;
    }

    QualityBenchmark.Runner? runner = null;
    VizierClientHost? host = null;
    if (parse.GetValue(gateway) is { } endpoint)
    {
        host = await VizierClientHost.ConnectAsync(o => o.Gateways.Add(endpoint), cancellationToken: cancellationToken);
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        runner = (a, problem, n, seed, workers) => ServiceRunner.RunAsync(host.Client, $"{a}-{problem.Name}-{problem.Parameters.Count}-{seed}-{stamp}", a, (BbobProblem)problem, n, seed, workers).GetAwaiter().GetResult();
    }

    var isRotated = parse.GetValue(rotated);
    var cells = (from f in parse.GetValue(functions)! from d in parse.GetValue(dimensions)! select (f, d)).ToList();
    var table = QualityBenchmark.Run(parse.GetValue(algorithms)!, parse.GetValue(peers)!, cells, (f, d, s) => new BbobProblem(f, d, s, shifted: true, rotated: isRotated),
        parse.GetValue(seeds), parse.GetValue(trials), parse.GetValue(parallel), parse.GetValue(threads), Console.Error.WriteLine, runner, parse.GetValue(plots),
        isRotated ? "shifted, rotated" : "shifted");
    if (host is not null)
    {
        await host.DisposeAsync();
    }

    return await WriteAsync(table, parse, cancellationToken);
});

var mixedFunctions = new Option<string[]>("--functions")
{
    AllowMultipleArgumentsPerToken = true,
    DefaultValueFactory = _ => ["Sphere", "Ellipsoidal", "Rastrigin", "RosenbrockRotated", "Discus", "Weierstrass"],
};
var mixedDimensions = new Option<int[]>("--dimensions") { AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [4, 8] };
var conditional = new Option<string[]>("--conditional")
{
    AllowMultipleArgumentsPerToken = true,
    DefaultValueFactory = _ => ["Sphere/Rastrigin", "Ellipsoidal/RosenbrockRotated"],
    Description = "Conditional cells A/B: a categorical root choosing BBOB A or B (B offset by 1), D children each; 'none' for none",
};
var mixed = new Command("mixed", "Shifted BBOB with INTEGER, DISCRETE and CATEGORICAL coordinates, and conditional spaces, against RANDOM_SEARCH and the Optuna peers")
{
    algorithms, peers, mixedFunctions, mixedDimensions, conditional, seeds, trials, parallel, threads, output, plots,
};
mixed.SetAction(async (parse, cancellationToken) =>
{
    var pairs = parse.GetValue(conditional)!.Where(c => c != "none").ToList();
    var unknown = parse.GetValue(mixedFunctions)!.Concat(pairs.SelectMany(p => p.Split('/'))).Except(BbobFunctions.Names).ToList();
    if (unknown.Count > 0 || pairs.Any(p => p.Split('/').Length != 2) || UnknownPeers(parse.GetValue(peers)!) is not null)
    {
        Console.Error.WriteLine(unknown.Count > 0 ? $"Unknown functions: {string.Join(", ", unknown)}" : UnknownPeers(parse.GetValue(peers)!) ?? "--conditional takes A/B pairs");
        return 1;
    }

    var cells = (from f in parse.GetValue(mixedFunctions)! from d in parse.GetValue(mixedDimensions)! select (f, d))
        .Concat(from p in pairs from d in parse.GetValue(mixedDimensions)! select (p, d)).ToList();
    IBenchmarkProblem Problem(string label, int d, int seed) =>
        label.Split('/') is [var a, var b] ? new ConditionalProblem(a, b, d, seed) : new MixedSpaceProblem(label, d, seed);
    var table = QualityBenchmark.Run(parse.GetValue(algorithms)!, parse.GetValue(peers)!, cells, Problem,
        parse.GetValue(seeds), parse.GetValue(trials), parse.GetValue(parallel), parse.GetValue(threads), Console.Error.WriteLine, null, parse.GetValue(plots), "mixed or conditional");
    return await WriteAsync(table, parse, cancellationToken);
});

var algorithm = new Option<string>("--algorithm") { DefaultValueFactory = _ => AlgorithmNames.GaussianProcessBandit };
var trialCounts = new Option<int[]>("--trial-counts") { AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [100, 300, 1000] };
var speedDimensions = new Option<int[]>("--dimensions") { AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [2, 8, 16] };
var repeats = new Option<int>("--repeats") { DefaultValueFactory = _ => 5 };
var speed = new Command("speed", "Suggestion latency and peak memory as trials and dimensions grow") { algorithm, trialCounts, speedDimensions, repeats };
speed.SetAction(parse =>
{
    Console.WriteLine(SpeedBenchmark.Run(parse.GetValue(algorithm)!, parse.GetValue(trialCounts)!, parse.GetValue(speedDimensions)!, parse.GetValue(repeats)));
    return 0;
});

var configurations = new Option<int>("--configurations") { DefaultValueFactory = _ => 60 };
var stoppingSeeds = new Option<int>("--seeds") { DefaultValueFactory = _ => 10 };
var stopping = new Command("stopping", "Steps saved and best final value with the early-stopping rules, on synthetic learning curves") { configurations, stoppingSeeds };
stopping.SetAction(parse =>
{
    Console.WriteLine(StoppingBenchmark.Run(parse.GetValue(configurations), parse.GetValue(stoppingSeeds)));
    return 0;
});

var moAlgorithms = new Option<string[]>("--algorithms") { AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [AlgorithmNames.Nsga2, AlgorithmNames.GaussianProcessBandit] };
var moProblems = new Option<string[]>("--problems") { AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [.. MultiObjectiveProblem.Names] };
var moTrials = new Option<int>("--trials") { DefaultValueFactory = _ => 200 };
var moSeeds = new Option<int>("--seeds") { DefaultValueFactory = _ => 10 };
var multiObjective = new Command("multiobjective", $"Hypervolume on multi-objective problems ({string.Join(", ", MultiObjectiveProblem.Names)}), against RANDOM_SEARCH and the Optuna peers")
{
    moAlgorithms, peers, moProblems, moTrials, moSeeds, threads, output,
};
multiObjective.SetAction(async (parse, cancellationToken) =>
{
    var unknown = parse.GetValue(moProblems)!.Except(MultiObjectiveProblem.Names).ToList();
    if (unknown.Count > 0 || UnknownPeers(parse.GetValue(peers)!) is not null)
    {
        Console.Error.WriteLine(unknown.Count > 0 ? $"Unknown problems: {string.Join(", ", unknown)}" : UnknownPeers(parse.GetValue(peers)!));
        return 1;
    }

    var table = MultiObjectiveBenchmark.Run(parse.GetValue(moAlgorithms)!, parse.GetValue(peers)!, parse.GetValue(moProblems)!, parse.GetValue(moTrials), parse.GetValue(moSeeds),
        parse.GetValue(threads), Console.Error.WriteLine);
    return await WriteAsync(table, parse, cancellationToken);
});

var root = new RootCommand("VizierOrleans algorithm benchmarks") { quality, mixed, speed, stopping, multiObjective };
return await root.Parse(args).InvokeAsync();
