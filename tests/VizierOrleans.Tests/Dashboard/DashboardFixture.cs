using System.Collections.Immutable;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using VizierOrleans.ClientGateway;
using VizierOrleans.Dashboard.Events;
using VizierOrleans.Dashboard.Hosting;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grpc;

namespace VizierOrleans.Tests.Dashboard;

/// <summary>
/// One test cluster and two dashboards in this process that reach it as an Orleans client (the standalone front
/// door's arrangement, with the study-event stream): an open one, and one that needs API keys.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string KeyForOwnerA = "dash-key-a-0123456789";
    public const string KeyForAll = "dash-key-all-0123456789";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    private readonly List<WebApplication> _apps = [];

    public TestCluster Cluster { get; private set; } = null!;

    public VizierClient Client { get; private set; } = null!;

    /// <summary>The open dashboard's address, for example http://127.0.0.1:5123.</summary>
    public string OpenUrl { get; private set; } = null!;

    public string KeyedUrl { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = "vizier-dashboard-tests";
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Client = new VizierClient(Cluster.Client);
        OpenUrl = await StartDashboardAsync([]);
        KeyedUrl = await StartDashboardAsync([new ApiKeyOptions { Key = KeyForOwnerA, Owners = "owner-a" }, new ApiKeyOptions { Key = KeyForAll, Owners = "*" }]);
        Http = new HttpClient { BaseAddress = new Uri(OpenUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    public async Task<T> GetAsync<T>(string path) => (await Http.GetFromJsonAsync<T>(path, Json))!;

    /// <summary>A study of two DOUBLE parameters x, y and a CATEGORICAL kind, with <paramref name="count"/> imported SUCCEEDED trials.</summary>
    public async Task<StudyHandle> StudyWithTrialsAsync(string owner, string studyId, int count, Func<int, double>? value = null, StudyConfig? config = null)
    {
        var study = await Client.CreateOrLoadStudyAsync(owner, studyId, config ?? new StudyConfig
        {
            Parameters = [ParameterConfig.Double("x", 0, 1), ParameterConfig.Double("y", 0, 1), ParameterConfig.Categorical("kind", "a", "b")],
            Metrics = [MetricConfig.Objective("loss", MetricGoal.Minimize)],
            Algorithm = AlgorithmNames.RandomSearch,
        });
        value ??= i => i;
        // One at a time, so that trial i gets id i.
        for (var i = 1; i <= count; i++)
        {
            await study.AddTrialAsync(new TrialRequest
            {
                Parameters = ImmutableDictionary<string, ParameterValue>.Empty
                    .Add("x", (i % 100) / 100.0).Add("y", (i % 37) / 37.0).Add("kind", i % 2 == 0 ? "a" : "b"),
                FinalMeasurement = Measurement.Of("loss", value(i)),
            });
        }

        return study;
    }

    private async Task<string> StartDashboardAsync(List<ApiKeyOptions> keys)
    {
        var port = SiloProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port));
        builder.Services.AddSingleton<IGrainFactory>(Cluster.Client);
        builder.Services.AddSingleton(Cluster.Client);
        builder.AddVizierDashboard(keys);
        var app = builder.Build();
        app.MapVizierDashboard();
        await app.StartAsync();
        await app.Services.GetRequiredService<StudyEventHub>().Subscribed.WaitAsync(TimeSpan.FromSeconds(60));
        _apps.Add(app);
        return $"http://127.0.0.1:{port}";
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddVizierMemoryGrainStorage().AddVizierGrains();
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddVizierStudyEvents();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
