using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using VizierOrleans.Bbob.Problems;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Bbob;

/// <summary>One run of an Optuna peer: a problem, a sampler, the budget, the seed and how trials are in flight.</summary>
/// <param name="Problem">The problem (its <see cref="IBenchmarkProblem.Spec"/> goes to Python).</param>
/// <param name="Peer">One of <see cref="OptunaPeers.Names"/>.</param>
/// <param name="Trials">The budget.</param>
/// <param name="Seed">The sampler's seed.</param>
/// <param name="Parallel">Trials in flight, results arriving in random order (TPE then uses the constant liar).</param>
/// <param name="Batch">Trials asked for and told together per round (the multi-objective benchmark's 4).</param>
public sealed record PeerJob(IBenchmarkProblem Problem, string Peer, int Trials, int Seed, int Parallel = 1, int Batch = 1);

/// <summary>
/// Runs Optuna's samplers in Debian's Python (python3-optuna) on exactly the problems the C# algorithms see: the
/// problem's JSON spec (shift, rotations, level mappings) goes to optuna/optuna_peer.py, the objective values of every
/// trial come back in the order results arrived.
/// </summary>
public static class OptunaPeers
{
    /// <summary>Debian's interpreter, the one python3-optuna is installed for.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The peers optuna_peer.py knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["optuna-tpe", "optuna-tpe-mv", "optuna-nsga2", "optuna-qmc", "optuna-random"];

    /// <summary>The folder of optuna_peer.py and problems.py (copied next to the assemblies).</summary>
    public static string ScriptFolder { get; } = Path.Combine(AppContext.BaseDirectory, "optuna");

    /// <summary>Runs the jobs in up to <paramref name="processes"/> Python processes; the values of each job, in job order.</summary>
    public static List<double[]>[] Run(IReadOnlyList<PeerJob> jobs, int processes, Action<string>? progress = null)
    {
        var unknown = jobs.Select(j => j.Peer).Distinct().Except(Names).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown peers: {string.Join(", ", unknown)} (known: {string.Join(", ", Names)}).", nameof(jobs));
        }

        var results = new List<double[]>[jobs.Count];
        if (jobs.Count == 0)
        {
            // Without peers there is nothing to run (and no chunk to run it in).
            return results;
        }

        var done = 0;
        var chunks = Enumerable.Range(0, jobs.Count).GroupBy(i => i % Math.Max(1, processes)).Select(g => g.ToList()).ToList();
        Parallel.ForEach(chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks.Count }, chunk =>
        {
            var request = new JsonObject
            {
                ["jobs"] = new JsonArray([.. chunk.Select(i => (JsonNode)new JsonObject
                {
                    ["spec"] = jobs[i].Problem.Spec(),
                    ["peer"] = jobs[i].Peer,
                    ["trials"] = jobs[i].Trials,
                    ["seed"] = jobs[i].Seed,
                    ["parallel"] = jobs[i].Parallel,
                    ["batch"] = jobs[i].Batch,
                })]),
            };
            foreach (var line in Invoke("run", request))
            {
                var answer = JsonNode.Parse(line)!;
                results[chunk[answer["index"]!.GetValue<int>()]] = Values(answer["values"]!.AsArray());
                var n = Interlocked.Increment(ref done);
                if (progress is not null && (n % 20 == 0 || n == jobs.Count))
                {
                    progress($"{n}/{jobs.Count} peer runs");
                }
            }
        });

        return results;
    }

    /// <summary>The Python port's objective values of each problem at its points (for checking it against C#), in one process.</summary>
    public static List<double[]>[] Evaluate(IReadOnlyList<(IBenchmarkProblem Problem, IReadOnlyList<IReadOnlyDictionary<string, ParameterValue>> Points)> problems)
    {
        var request = new JsonObject
        {
            ["problems"] = new JsonArray([.. problems.Select(p => (JsonNode)new JsonObject
            {
                ["spec"] = p.Problem.Spec(),
                ["points"] = new JsonArray([.. p.Points.Select(x => (JsonNode)Assignment(x))]),
            })]),
        };
        var answer = JsonNode.Parse(string.Concat(Invoke("evaluate", request)))!;
        return [.. answer["values"]!.AsArray().Select(v => Values(v!.AsArray()))];
    }

    private static JsonObject Assignment(IReadOnlyDictionary<string, ParameterValue> parameters) =>
        new(parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)(p.Value.Text is { } text ? JsonValue.Create(text) : JsonValue.Create(p.Value.AsDouble())))));

    private static List<double[]> Values(JsonArray values) => [.. values.Select(v => v!.AsArray().Select(x => x!.GetValue<double>()).ToArray())];

    private static List<string> Invoke(string mode, JsonObject request)
    {
        var script = Path.Combine(ScriptFolder, "optuna_peer.py");
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing; scripts/install-prerequisites.sh installs python3-optuna.");
        }

        var start = new ProcessStartInfo(Python, [script, mode])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(request.ToJsonString());
        process.StandardInput.Close();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {mode} failed ({process.ExitCode}): {errors.Result}");
        }

        return lines;
    }
}
