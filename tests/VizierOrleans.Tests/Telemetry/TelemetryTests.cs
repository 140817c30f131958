using System.Collections.Immutable;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using VizierOrleans.ClientGateway;
using VizierOrleans.ClientGateway.Hosting;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Telemetry;

namespace VizierOrleans.Tests.Telemetry;

/// <summary>What an operator sees: spans of a suggestion, and the metrics a silo serves on /metrics.</summary>
public sealed partial class TelemetryTests
{
    [Fact]
    public async Task One_suggest_is_one_trace_with_the_policy_and_storage_spans_under_the_suggest_span()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == VizierTelemetryNames.ActivitySource || VizierTelemetryNames.OrleansActivitySources.Contains(source.Name) || source.Name == "telemetry-test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var testSource = new ActivitySource("telemetry-test");

        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = "vizier-telemetry-tests";
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var study = await new VizierClient(cluster.Client).CreateOrLoadStudyAsync("telemetry", "spans", TestConfigs.TwoFloats(maxTrials: 10));
            ActivityTraceId trace;
            using (var root = testSource.StartActivity("worker asks for a trial")!)
            {
                trace = root.TraceId;
                Assert.Single(await study.SuggestAsync(1, "worker"));
            }

            var spans = stopped.Where(a => a.TraceId == trace).ToList();
            var byId = spans.ToDictionary(a => a.SpanId);
            var suggest = Assert.Single(spans, a => a.OperationName == "vizier.suggest");
            Assert.Equal(1, suggest.GetTagItem("vizier.suggest.count"));
            var policy = Assert.Single(spans, a => a.OperationName == "vizier.policy.suggest");
            Assert.Equal(AlgorithmNames.RandomSearch, policy.GetTagItem("vizier.algorithm"));
            var writes = spans.Where(a => a.OperationName == "vizier.storage.write").ToList();
            Assert.NotEmpty(writes);
            Assert.True(IsUnder(policy, suggest, byId), "the policy span is not under the suggest span");
            Assert.All(writes, w => Assert.True(IsUnder(w, suggest, byId), $"storage write of {w.GetTagItem("vizier.grain")} is not under the suggest span"));
            Assert.Contains(writes, w => ((string)w.GetTagItem("vizier.grain")!).StartsWith("trial/", StringComparison.Ordinal));

            // The new trial's grain inserted its row without reading it first (a new trial's row cannot exist yet).
            Assert.DoesNotContain(stopped, a => a.OperationName == "vizier.storage.read"
                && ((string?)a.GetTagItem("vizier.grain"))?.StartsWith("trial/owners/telemetry/studies/spans/", StringComparison.Ordinal) == true);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }

    [Fact]
    public async Task A_silo_serves_the_suggest_histogram_and_each_studys_trials_by_state_on_metrics()
    {
        const int calls = 7;
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string> { ["Vizier__Clustering"] = "Localhost", ["Vizier__Storage"] = "Memory", ["Logging__LogLevel__Default"] = "Warning" });
        await using (var host = await VizierClientHost.ConnectAsync(o => o.Gateways = [$"127.0.0.1:{silo.GatewayPort}"]))
        {
            var study = await host.Client.CreateOrLoadStudyAsync("telemetry", "metrics", TestConfigs.TwoFloats(maxTrials: 100));
            for (var i = 0; i < calls; i++)
            {
                var trial = Assert.Single(await study.SuggestAsync(1, $"worker-{i}"));
                await trial.CompleteAsync(Measurement.Of("loss", i));
            }

            // Two handed out and still running, one queued by hand.
            Assert.Equal(2, (await study.SuggestAsync(2, "worker-running")).Count);
            await study.AddTrialAsync(new TrialRequest { Parameters = ImmutableDictionary<string, ParameterValue>.Empty.Add("x", 0.5).Add("y", 0.5) });
        }

        using var http = new HttpClient();
        var metrics = new Uri($"http://127.0.0.1:{silo.HealthPort}/metrics");
        var text = await http.GetStringAsync(metrics);
        Assert.Equal(calls + 1, Sum(text, "vizier_suggest_duration_seconds_count"));
        Assert.Equal(calls, Sum(text, "vizier_complete_duration_seconds_count"));
        Assert.Equal(calls + 2, Sum(text, "vizier_suggest_trials_sum"));
        Assert.Contains("vizier_policy_duration_seconds_count{", text, StringComparison.Ordinal);
        Assert.Contains("vizier_storage_duration_seconds_count{", text, StringComparison.Ordinal);
        Assert.Contains("orleans_", text, StringComparison.Ordinal);

        // The per-study gauge follows the study's owner summary, which lags by up to its interval.
        const string studyName = "owners/telemetry/studies/metrics";
        text = await Eventually.ReadAsync(() => http.GetStringAsync(metrics), t => Gauge(t, studyName, "REQUESTED") == 1);
        Assert.Equal(1, Gauge(text, studyName, "REQUESTED"));
        Assert.Equal(2, Gauge(text, studyName, "ACTIVE"));
        Assert.Equal(calls, Gauge(text, studyName, "SUCCEEDED"));
        Assert.Null(Gauge(text, studyName, "INFEASIBLE"));
    }

    private static bool IsUnder(Activity span, Activity ancestor, Dictionary<ActivitySpanId, Activity> byId)
    {
        for (var current = span; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value of the <c>vizier_study_trials</c> series of one study and state, or null when it is not served.</summary>
    private static double? Gauge(string exposition, string study, string state) =>
        MetricLine().Matches(exposition)
            .Where(m => m.Groups["name"].Value == "vizier_study_trials" && m.Value.Contains($"vizier_study=\"{study}\"", StringComparison.Ordinal)
                && m.Value.Contains($"vizier_trial_state=\"{state}\"", StringComparison.Ordinal))
            .Select(m => (double?)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture))
            .SingleOrDefault();

    /// <summary>The sum of every series of <paramref name="metric"/> in a Prometheus text exposition.</summary>
    private static double Sum(string exposition, string metric) =>
        MetricLine().Matches(exposition)
            .Where(m => m.Groups["name"].Value == metric)
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (?<value>[-+0-9.eE]+)", RegexOptions.Multiline)]
    private static partial Regex MetricLine();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddVizierMemoryGrainStorage().AddVizierGrains().AddVizierTelemetry();
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddActivityPropagation();
    }
}
