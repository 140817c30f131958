using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;

namespace VizierOrleans.Tests.Integration;

/// <summary>
/// A policy computation past the study's policy timeout is cancelled: the algorithm sees its token cancelled and its
/// slot of the silo's compute limiter is free again, so a runaway computation never holds the silo's policy capacity.
/// </summary>
public sealed class PolicyCancellationTests(PolicyCancellationTests.Fixture fixture) : IClassFixture<PolicyCancellationTests.Fixture>
{
    [Fact]
    public async Task A_suggestion_past_the_policy_timeout_cancels_the_algorithms_token_and_frees_its_compute_slot()
    {
        var config = TestConfigs.TwoFloats(TokenAwaitingAlgorithm.Name);
        var slow = await fixture.Client.CreateOrLoadStudyAsync("cancel", TestConfigs.UniqueId(), config);

        // The grain itself, not the client library: the library would retry the UNAVAILABLE answer.
        var grain = fixture.Cluster.GrainFactory.GetGrain<IStudyGrain>(slow.Name);
        var failure = await Assert.ThrowsAsync<VizierException>(() => grain.SuggestAsync(1, "worker"));
        Assert.Equal(VizierErrorCode.Unavailable, failure.Code);
        Assert.Contains("did not answer within", failure.Message, StringComparison.Ordinal);
        Assert.True(TokenAwaitingAlgorithm.Entered.Task.IsCompleted, "the algorithm never ran");

        // The algorithm waits up to a minute on its token: only a cancellation ends it sooner.
        await TokenAwaitingAlgorithm.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The silo allows one computation at a time: another study's suggestion gets the freed slot within its timeout.
        var other = await fixture.Client.CreateOrLoadStudyAsync("cancel", TestConfigs.UniqueId(), TestConfigs.TwoFloats());
        var served = await fixture.Cluster.GrainFactory.GetGrain<IStudyGrain>(other.Name).SuggestAsync(1, "worker");
        var trial = Assert.Single(served.Trials);
        Assert.Equal(1, trial.Id);
        Assert.Equal(0, fixture.Limiter.Running);
        Assert.Empty(await slow.ListTrialsAsync());
    }

    [Fact]
    public async Task A_stopping_decision_past_the_policy_timeout_cancels_the_policys_token_and_stops_nothing()
    {
        var study = await fixture.Client.CreateOrLoadStudyAsync("cancel", TestConfigs.UniqueId(), TestConfigs.TwoFloats() with
        {
            Metadata = Metadata.Empty.With(ExternalPolicy.Namespace, ExternalPolicy.EndpointKey, TokenAwaitingStopPolicy.Endpoint),
        });

        // A queued trial is handed out without asking the (external) policy.
        await study.RequestTrialAsync(new Dictionary<string, ParameterValue> { ["x"] = 1.0, ["y"] = 1.0 });
        var trial = Assert.Single(await study.SuggestAsync(1, "worker"));

        var grain = fixture.Cluster.GrainFactory.GetGrain<IStudyGrain>(study.Name);
        var failure = await Assert.ThrowsAsync<VizierException>(() => grain.ShouldStopAsync(trial.Id));
        Assert.Equal(VizierErrorCode.Unavailable, failure.Code);
        Assert.Contains("stopping policy did not answer within", failure.Message, StringComparison.Ordinal);

        await TokenAwaitingStopPolicy.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TrialState.Active, (await grain.GetTrialAsync(trial.Id)).State);
    }

    /// <summary>One silo whose studies give a policy <see cref="PolicyTimeout"/> and which runs one computation at a time.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public static readonly TimeSpan PolicyTimeout = TimeSpan.FromSeconds(2);

        public TestCluster Cluster { get; private set; } = null!;

        public VizierClient Client { get; private set; } = null!;

        internal PolicyComputeLimiter Limiter =>
            ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<PolicyComputeLimiter>();

        public async Task InitializeAsync()
        {
            var builder = TestClusters.Builder("vizier-policy-cancel-tests");
            builder.AddSiloBuilderConfigurator<SiloConfigurator>();
            Cluster = await builder.StartAsync();
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
                silo.AddVizierAlgorithm(TokenAwaitingAlgorithm.Name, () => new TokenAwaitingAlgorithm());
                silo.Services.AddSingleton<IExternalPolicyClient, TokenAwaitingStopPolicy>();
                silo.Services.Configure<StudyOptions>(o =>
                {
                    o.PolicyTimeout = PolicyTimeout;
                    o.MaxConcurrentPolicyComputations = 1;
                });
            }
        }
    }

    /// <summary>A computation that never finishes on its own within a minute: it waits on its cancellation token.</summary>
    private sealed class TokenAwaitingAlgorithm : ISuggestionAlgorithm
    {
        public const string Name = "TEST_AWAITS_CANCELLATION";

        public static readonly TaskCompletionSource Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static readonly TaskCompletionSource Cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SuggestionOutcome Suggest(SuggestionContext context)
        {
            Entered.TrySetResult();
            context.CancellationToken.WaitHandle.WaitOne(TimeSpan.FromMinutes(1));
            if (context.CancellationToken.IsCancellationRequested)
            {
                Cancelled.TrySetResult();
            }

            context.CancellationToken.ThrowIfCancellationRequested();
            return new RandomSearch().Suggest(context);
        }
    }

    /// <summary>An external stopping policy that answers only after a minute: it waits on its cancellation token.</summary>
    private sealed class TokenAwaitingStopPolicy : IExternalPolicyClient
    {
        public const string Endpoint = "token-awaiting-stop-policy:1";

        public static readonly TaskCompletionSource Cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<PolicySuggestResponse> SuggestAsync(string endpoint, PolicySuggestRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("this test policy only decides stopping");

        public async Task<PolicyStopResponse> EarlyStopAsync(string endpoint, PolicyStopRequest request, CancellationToken cancellationToken = default)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }

            return new PolicyStopResponse { Decisions = [.. request.TrialIds.Select(id => new StopDecision(id, true, "a minute passed"))] };
        }
    }
}
