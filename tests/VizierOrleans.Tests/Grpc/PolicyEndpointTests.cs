using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;
using VizierOrleans.Grpc;
using VizierOrleans.Grpc.Pythia;

namespace VizierOrleans.Tests.Grpc;

/// <summary>Which policy endpoints a study may name, the deadline of a policy call, and the bounded channel cache.</summary>
[Collection(GrpcCollection.Name)]
public sealed class PolicyEndpointTests(GrpcFixture fixture)
{
    [Theory]
    [InlineData("pythia.internal:8000", true)]
    [InlineData("PYTHIA.internal:8000", true)]
    [InlineData("10.1.2.3:5000", true)]
    [InlineData("http://10.1.255.9:5000", true)]
    [InlineData("192.168.7.7:80", true)]
    [InlineData("10.2.0.1:5000", false)]
    [InlineData("evil.example:8000", false)]
    [InlineData("192.168.7.8:80", false)]
    public async Task An_allow_list_admits_listed_hosts_addresses_and_networks_only(string endpoint, bool allowed)
    {
        var list = new PolicyEndpointAllowList(new GrpcFrontDoorOptions { ExternalPolicyAllowList = ["pythia.internal", "10.1.0.0/16", "192.168.7.7"] });
        var check = list.CheckAsync(endpoint, "spec.metadata");
        if (allowed)
        {
            await check;
        }
        else
        {
            var e = await Assert.ThrowsAsync<VizierException>(() => check);
            Assert.Equal(VizierErrorCode.PermissionDenied, e.Code);
            Assert.Contains(endpoint, e.Message, StringComparison.Ordinal);
            Assert.Contains("ExternalPolicyAllowList", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_an_allow_list_local_use_is_open_and_an_api_key_deployment_is_closed()
    {
        await new PolicyEndpointAllowList(new GrpcFrontDoorOptions()).CheckAsync("anything:1", "f");
        var closed = new PolicyEndpointAllowList(new GrpcFrontDoorOptions { ApiKeys = [new ApiKeyOptions { Key = "k", Owners = "*" }] });
        var e = await Assert.ThrowsAsync<VizierException>(() => closed.CheckAsync("localhost:1", "f"));
        Assert.Equal(VizierErrorCode.PermissionDenied, e.Code);
        var bad = await Assert.ThrowsAsync<InvalidArgumentException>(() => closed.CheckAsync("not a host", "study.spec"));
        Assert.StartsWith("study.spec:", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_call_past_its_deadline_fails_with_deadline_exceeded_naming_the_endpoint()
    {
        using var client = Client(new GrpcFrontDoorOptions { ExternalPolicyTimeout = TimeSpan.FromMilliseconds(500) });
        var e = await Assert.ThrowsAsync<ExternalPolicyException>(() => client.SuggestAsync(fixture.PythiaEndpoint, Request("slow:3000")));
        Assert.Equal(VizierErrorCode.DeadlineExceeded, e.Code);
        Assert.Equal(fixture.PythiaEndpoint, e.Endpoint);
        Assert.Contains(fixture.PythiaEndpoint, e.Message, StringComparison.Ordinal);
        Assert.Contains("ExternalPolicyTimeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disallowed_endpoint_fails_the_policy_call_with_permission_denied_before_connecting()
    {
        using var client = Client(new GrpcFrontDoorOptions { ExternalPolicyAllowList = ["10.9.9.9"] });
        var e = await Assert.ThrowsAsync<ExternalPolicyException>(() => client.SuggestAsync(fixture.PythiaEndpoint, Request("plain")));
        Assert.Equal(VizierErrorCode.PermissionDenied, e.Code);
        Assert.Empty(client.OpenChannels);
    }

    [Fact]
    public async Task The_channel_cache_is_bounded_and_closes_idle_channels()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var cache = new PolicyChannelCache(new GrpcFrontDoorOptions { ExternalPolicyMaxChannels = 2, ExternalPolicyChannelIdleTimeout = TimeSpan.FromMinutes(5) }, time);
        await cache.GetAsync("a:1", () => Task.CompletedTask);
        time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync("b:1", () => Task.CompletedTask);
        time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync("a:1", () => throw new InvalidOperationException("an open channel is not admitted again"));
        await cache.GetAsync("c:1", () => Task.CompletedTask);
        Assert.Equal(["a:1", "c:1"], cache.Endpoints.Order());

        time.Advance(TimeSpan.FromMinutes(6));
        await cache.GetAsync("d:1", () => Task.CompletedTask);
        Assert.Equal(["d:1"], cache.Endpoints);
    }

    private static PythiaPolicyClient Client(GrpcFrontDoorOptions options) => new(Options.Create(options), new PolicyEndpointAllowList(options));

    private static PolicySuggestRequest Request(string mode) => new()
    {
        StudyName = "owners/o/studies/deadline",
        Config = TestConfigs.TwoFloats() with
        {
            Parameters = [ParameterConfig.Double("x", 0, 1), ParameterConfig.Categorical("opt", "adam", "sgd")],
        },
        StudyMetadata = Metadata.Empty.With("fake", "mode", mode),
        Count = 1,
    };
}
