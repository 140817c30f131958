using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orleans.Storage;
using VizierOrleans.Grains.Telemetry;

namespace VizierOrleans.Tests.Telemetry;

/// <summary>The storage wrapper's log: an operator hears of every ETag conflict and storage failure, by grain.</summary>
public sealed class InstrumentedGrainStorageTests
{
    private static readonly GrainId Trial = GrainId.Create("trial", "owners/o/studies/s/trials/7");

    [Fact]
    public async Task A_stale_etag_is_logged_as_a_conflict_the_grain_recovers_from_by_reloading_and_the_error_still_reaches_the_grain()
    {
        var logger = new FakeLogger();
        var storage = new InstrumentedGrainStorage("vizier", new FailingStorage(new InconsistentStateException("ETag mismatch")), logger);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("trial", Trial, new GrainState<int>(1)));

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(1701, record.Id.Id);
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Equal(
            "write of trial/owners/o/studies/s/trials/7 (trial) met newer state in storage (ETag conflict): the call fails, the caller retries and the grain reloads its state",
            record.Message);
    }

    [Fact]
    public async Task Any_other_storage_failure_is_logged_with_its_error_and_a_success_logs_nothing()
    {
        var logger = new FakeLogger();
        var failure = new TimeoutException("table service did not answer");
        var storage = new InstrumentedGrainStorage("vizier", new FailingStorage(failure), logger);

        await Assert.ThrowsAsync<TimeoutException>(() => storage.ReadStateAsync("trial", Trial, new GrainState<int>()));
        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(1702, record.Id.Id);
        Assert.Same(failure, record.Exception);
        Assert.Equal("read of trial/owners/o/studies/s/trials/7 (trial) failed: TimeoutException", record.Message);

        var quiet = new FakeLogger();
        await new InstrumentedGrainStorage("vizier", new FailingStorage(null), quiet).ClearStateAsync("trial", Trial, new GrainState<int>());
        Assert.Empty(quiet.Collector.GetSnapshot());
    }

    private sealed class FailingStorage(Exception? failure) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run();

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run();

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run();

        private Task Run() => failure is null ? Task.CompletedTask : Task.FromException(failure);
    }
}
