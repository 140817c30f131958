using System.Globalization;

namespace VizierOrleans.Tests.Grpc;

/// <summary>
/// PyGlove's distributed loop in miniature (tests/python/pyglove_standin.py, Debian's grpcio): a policy service in the
/// worker's process that the silo calls back for every suggestion, keeping its state in trial and study metadata,
/// with workers as one thread, ten threads and four processes, through a silo process's gRPC port.
/// </summary>
public sealed class PyGloveStandinTests(PyGloveStandinTests.SiloFixture silo) : IClassFixture<PyGloveStandinTests.SiloFixture>
{
    /// <summary>The silo's call timeout, shorter than Orleans' default so the slow-policy case is quick.</summary>
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("one-worker")]
    [InlineData("threads")]
    [InlineData("processes")]
    [InlineData("surplus")]
    public async Task Workers_reach_the_end_of_their_budget_with_exactly_the_expected_trials(string scenario) =>
        await RunAsync(scenario);

    [Fact]
    public async Task A_raising_policy_makes_the_clients_suggest_raise_with_the_policys_message() =>
        await RunAsync("raise");

    [Fact]
    public async Task A_policy_slower_than_the_call_timeout_still_delivers_its_suggestions_through_GetOperation() =>
        await RunAsync("slow", "--slow-seconds", (ResponseTimeout + TimeSpan.FromSeconds(3)).TotalSeconds.ToString(CultureInfo.InvariantCulture));

    private async Task RunAsync(string scenario, params string[] extra)
    {
        var log = await PythonScript.RunAsync("pyglove_standin.py", ["--endpoint", $"127.0.0.1:{silo.Process.GrpcPort}", "--scenario", scenario, .. extra], TimeSpan.FromSeconds(120));
        Assert.Matches($@"{scenario}: (\d+) of \1 checks passed", log);
    }

    /// <summary>One silo process (memory storage, no Azure) for the scenarios.</summary>
    public sealed class SiloFixture : IAsyncLifetime
    {
        internal SiloProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() => Process = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["Vizier__Clustering"] = "Localhost",
            ["Vizier__Storage"] = "Memory",
            ["Vizier__ClusterId"] = "pyglove-standin",
            ["Vizier__ServiceId"] = "pyglove-standin",
            ["Orleans__Messaging__ResponseTimeout"] = ResponseTimeout.ToString("c", CultureInfo.InvariantCulture),
        });

        public async Task DisposeAsync() => await Process.DisposeAsync();
    }
}
