using System.CommandLine;
using VizierOrleans.Bbob;
using VizierOrleans.Benchmarks;
using VizierOrleans.ClientGateway.Hosting;
using VizierOrleans.Grains.Interfaces.Model;

var algorithms = new Option<string[]>("--algorithms") { AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [AlgorithmNames.GaussianProcessBandit] };
var functions = new Option<string[]>("--functions")
{
    AllowMultipleArgumentsPerToken = true,
    DefaultValueFactory = _ => ["Sphere", "Ellipsoidal", "Rastrigin", "RosenbrockRotated", "BentCigar", "Discus", "SharpRidge", "DifferentPowers", "Weierstrass", "Lunacek", "Schwefel", "AttractiveSector"],
};
var dimensions = new Option<int[]>("--dimensions") { AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [2, 4, 8] };
var seeds = new Option<int>("--seeds") { DefaultValueFactory = _ => 10 };
var trials = new Option<int>("--trials") { DefaultValueFactory = _ => 100 };
var parallel = new Option<int>("--parallel") { DefaultValueFactory = _ => 1, Description = "Trials in flight (workers), results arriving out of order" };
var rotated = new Option<bool>("--rotated") { Description = "Also rotate the functions (seeded orthogonal matrices)" };
var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount };
var output = new Option<string?>("--output") { Description = "Write the markdown table to this file too" };
var plots = new Option<string?>("--plots") { Description = "Write convergence plots (PNG) to this folder" };
var gateway = new Option<string?>("--gateway") { Description = "Run through a live silo at host:port (the service path) instead of in-process" };

var quality = new Command("quality", "Median final optimality gap and log-efficiency against RANDOM_SEARCH on shifted BBOB")
{
    algorithms, functions, dimensions, seeds, trials, parallel, rotated, threads, output, gateway, plots,
};
quality.SetAction(async (parse, cancellationToken) =>
{
    var unknown = parse.GetValue(functions)!.Except(BbobFunctions.Names).ToList();
    if (unknown.Count > 0)
    {
        Console.Error.WriteLine($"Unknown functions: {string.Join(", ", unknown)}");
        return 1;
    }

    QualityBenchmark.Runner? runner = null;
    VizierClientHost? host = null;
    if (parse.GetValue(gateway) is { } endpoint)
    {
        host = await VizierClientHost.ConnectAsync(o => o.Gateways.Add(endpoint), cancellationToken: cancellationToken);
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        runner = (a, problem, n, seed, workers) => ServiceRunner.RunAsync(host.Client, $"{a}-{problem.Function}-{problem.D}-{seed}-{stamp}", a, problem, n, seed, workers).GetAwaiter().GetResult();
    }

    var table = QualityBenchmark.Run(parse.GetValue(algorithms)!, parse.GetValue(functions)!, parse.GetValue(dimensions)!, parse.GetValue(seeds),
        parse.GetValue(trials), parse.GetValue(parallel), parse.GetValue(rotated), parse.GetValue(threads), Console.Error.WriteLine, runner, parse.GetValue(plots));
    if (host is not null)
    {
        await host.DisposeAsync();
    }

    Console.WriteLine(table);
    if (parse.GetValue(output) is { } path)
    {
        await File.WriteAllTextAsync(path, table, cancellationToken);
    }

    return 0;
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
var moTrials = new Option<int>("--trials") { DefaultValueFactory = _ => 200 };
var moSeeds = new Option<int>("--seeds") { DefaultValueFactory = _ => 5 };
var multiObjective = new Command("multiobjective", "Hypervolume on two-objective problems (two spheres, Fonseca-Fleming)") { moAlgorithms, moTrials, moSeeds };
multiObjective.SetAction(parse =>
{
    Console.WriteLine(MultiObjectiveBenchmark.Run(parse.GetValue(moAlgorithms)!, parse.GetValue(moTrials), parse.GetValue(moSeeds)));
    return 0;
});

var root = new RootCommand("VizierOrleans algorithm benchmarks") { quality, speed, stopping, multiObjective };
return await root.Parse(args).InvokeAsync();
