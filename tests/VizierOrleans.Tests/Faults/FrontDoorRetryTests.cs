using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VizierOrleans.Grains.Interfaces;
using InvalidArgumentException = VizierOrleans.Grains.Interfaces.Model.InvalidArgumentException;
using VizierOrleans.Grpc;
using VizierOrleans.Grpc.Hosting;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Tests.Faults;

/// <summary>The gRPC front door's cluster calls go through the shared retry pipeline: faults planted on its Orleans client's calls.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class FrontDoorRetryTests(FaultClusterFixture fixture) : IAsyncLifetime
{
    private WebApplication _app = null!;
    private VizierService.VizierServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        var options = new GrpcFrontDoorOptions { Port = SiloProcess.FreePort() };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IGrainFactory>(fixture.Cluster.Client);
        builder.AddVizierGrpcFrontDoor(options);
        _app = builder.Build();
        _app.MapVizierGrpcFrontDoor();
        await _app.StartAsync();
        _client = new(GrpcChannel.ForAddress($"http://localhost:{options.Port}"));
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<string> NewStudyAsync() =>
        (await fixture.Client.CreateOrLoadStudyAsync("frontdoor-retry", TestConfigs.UniqueId(), TestConfigs.TwoFloats(maxTrials: 5))).Name;

    [Fact]
    public async Task A_read_that_meets_an_unavailable_silo_and_a_timeout_is_retried_and_answers()
    {
        var study = await NewStudyAsync();
        CallFaults.FailNext(study, nameof(IStudyGrain.GetAsync), new SiloUnavailableException("injected: the silo died"));
        CallFaults.FailNext(study, nameof(IStudyGrain.GetAsync), new TimeoutException("injected: the call timed out"));

        var got = await _client.GetStudyAsync(new GetStudyRequest { Name = study });
        Assert.Equal(study, got.Name);
    }

    [Fact]
    public async Task A_completion_whose_response_was_lost_is_retried_and_returns_the_stored_trial()
    {
        var study = await NewStudyAsync();
        var trial = (await fixture.Client.Study(study).SuggestAsync(1, "w"))[0];
        CallFaults.LoseNextResponse(study, nameof(IStudyGrain.CompleteTrialAsync));

        var completed = await _client.CompleteTrialAsync(new CompleteTrialRequest
        {
            Name = trial.Name,
            FinalMeasurement = new Measurement { Metrics = { new Measurement.Types.Metric { MetricId = "loss", Value = 0.5 } } },
        });
        Assert.Equal(Trial.Types.State.Succeeded, completed.State);
        Assert.Equal(0.5, completed.FinalMeasurement.Metrics[0].Value);
    }

    [Fact]
    public async Task A_delete_is_not_retried_and_a_validation_error_is_not_either()
    {
        var study = await NewStudyAsync();
        CallFaults.FailNext(study, nameof(IStudyGrain.DeleteAsync), new SiloUnavailableException("injected: the silo died"));
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _client.DeleteStudyAsync(new DeleteStudyRequest { Name = study }));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(study, (await _client.GetStudyAsync(new GetStudyRequest { Name = study })).Name);

        // A refusal is the answer: it is not retried, so it reaches the caller at once.
        CallFaults.FailNext(study, nameof(IStudyGrain.SetStateAsync), new InvalidArgumentException("injected: refused"));
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await _client.SetStudyStateAsync(new SetStudyStateRequest { Parent = study, State = Study.Types.State.Inactive }));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(Study.Types.State.Active, (await _client.GetStudyAsync(new GetStudyRequest { Name = study })).State);
    }
}
