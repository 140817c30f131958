using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;

namespace VizierOrleans.Tests.Faults;

/// <summary>
/// One in-memory cluster whose grain storage runs <see cref="StorageFaults"/>, and whose external-policy client is a
/// <see cref="CountingStopPolicy"/>: the races and partial failures of the study grain, driven step by step. Trial
/// leases run on <see cref="LeaseClock"/>, a fake clock the tests move past a lease instead of sleeping.
/// </summary>
public sealed class FaultClusterFixture : IAsyncLifetime
{
    private const string InnerStorage = "vizier-inner";

    // The silo runs in this process; its configurator is created by type, so it finds the clock here.
    private static readonly FakeTimeProvider SharedLeaseClock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The clock every trial lease of the cluster is measured on.</summary>
    public FakeTimeProvider LeaseClock { get; } = SharedLeaseClock;

    public TestCluster Cluster { get; private set; } = null!;

    public VizierClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = "vizier-fault-tests";
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Client = new VizierClient(Cluster.Client);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddSingleton(new VizierOrleans.Grains.Study.LeaseClock(SharedLeaseClock));
            silo.AddVizierMemoryGrainStorage(InnerStorage).AddVizierGrains();
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Vizier, (sp, _) =>
                new FaultInjectingGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(InnerStorage)));
            silo.Services.AddSingleton<IExternalPolicyClient, CountingStopPolicy>();
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) =>
            client.AddOutgoingGrainCallFilter(CallFaults.InvokeAsync);
    }
}

[CollectionDefinition(Name)]
public sealed class FaultClusterCollection : ICollectionFixture<FaultClusterFixture>
{
    public const string Name = "fault cluster";
}

/// <summary>
/// An external stopping policy that counts its computations per study and answers "go on" once the test opens the
/// study's gate.
/// </summary>
internal sealed class CountingStopPolicy : IExternalPolicyClient
{
    public const string Endpoint = "counting-stop-policy:1";

    private static readonly ConcurrentDictionary<string, int> Calls = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    public static int CallsFor(string study) => Calls.GetValueOrDefault(study);

    public static TaskCompletionSource GateFor(string study) =>
        Gates.GetOrAdd(study, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public Task<PolicySuggestResponse> SuggestAsync(string endpoint, PolicySuggestRequest request, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("this test policy only decides stopping");

    public async Task<PolicyStopResponse> EarlyStopAsync(string endpoint, PolicyStopRequest request, CancellationToken cancellationToken = default)
    {
        Calls.AddOrUpdate(request.StudyName, 1, (_, n) => n + 1);
        await GateFor(request.StudyName).Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return new PolicyStopResponse { Decisions = [.. request.TrialIds.Select(id => new StopDecision(id, false, "go on"))] };
    }
}
