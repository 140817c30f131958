using System.Diagnostics;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests;

/// <summary>Starts samples/Worker as one worker process (RANDOM_SEARCH, the given budget), the way the tests use it.</summary>
internal static class WorkerSample
{
    /// <summary>
    /// A start-info for one worker with client id <paramref name="clientId"/> on <c>owners/{owner}/studies/{study}</c>,
    /// output redirected, <paramref name="environment"/> added (cluster id, service id, how to find gateways), optionally
    /// inside network namespace <paramref name="networkNamespace"/>.
    /// </summary>
    public static ProcessStartInfo StartInfo(
        string clientId, string owner, string study, int budget, IReadOnlyDictionary<string, string> environment,
        IEnumerable<string>? extraArguments = null, string? networkNamespace = null)
    {
        var info = new ProcessStartInfo(networkNamespace is null ? "dotnet" : "ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (networkNamespace is not null)
        {
            foreach (var a in new[] { "netns", "exec", networkNamespace, "dotnet" })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in new[]
        {
            RepositoryPaths.Output("samples/Worker", "VizierOrleans.Worker"), "--worker-id", clientId, "--owner", owner, "--study", study,
            "--algorithm", AlgorithmNames.RandomSearch, "--trials", budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Concat(extraArguments ?? []))
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>The environment that points a worker at an in-process test cluster.</summary>
    public static Dictionary<string, string> ClusterEnvironment(Orleans.TestingHost.TestCluster cluster) => new()
    {
        ["Vizier__ClusterId"] = cluster.Options.ClusterId,
        ["Vizier__ServiceId"] = cluster.Options.ServiceId,
    };
}
