using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Persistence;

[Collection(AzuriteCollection.Name)]
public sealed class DurabilityTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Study_survives_stopping_every_silo()
    {
        var serviceId = $"restart-{Guid.NewGuid():N}"[..20];
        const int trials = 200;
        var config = TestConfigs.TwoFloats(maxTrials: 1000);
        Dictionary<long, Trial> before;
        var first = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, serviceId);
        try
        {
            var study = await new VizierClient(first.Client).CreateOrLoadStudyAsync("durable", "s1", config);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < trials / 4; i++)
                {
                    var t = (await study.SuggestAsync(1, $"w{w}"))[0];
                    await t.AddMeasurementAsync(Measurement.Of("loss", 10 + t.Id, steps: 1, elapsedSeconds: 0.5));
                    await t.AddMeasurementAsync(Measurement.Of("loss", 5 + t.Id, steps: 2, elapsedSeconds: 1.0));
                    await t.CompleteAsync();
                }
            })));
            await study.UpdateMetadataAsync(new MetadataItem("", "phase", "one"));
            Assert.Equal(trials, (await study.ListTrialsAsync()).Count);

            // The highest id, deleted, must not come back after the restart either.
            await study.Trial(trials).DeleteAsync();
            before = (await study.ListTrialsAsync()).ToDictionary(t => t.Id);
            Assert.Equal(trials - 1, before.Count);
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        var second = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, serviceId);
        try
        {
            var client = new VizierClient(second.Client);
            var study = client.Study("durable", "s1");
            var info = await study.GetAsync();
            Assert.Equal(config.Parameters, info.Config.Parameters);
            Assert.Equal(1000, info.Config.MaxTrials);
            Assert.Equal("one", info.Metadata.Get("", "phase"));
            Assert.Contains(await client.ListStudiesAsync("durable"), s => s.StudyId == "s1");

            var after = await study.ListTrialsAsync();
            Assert.Equal(before.Keys.Order(), after.Select(t => t.Id));
            foreach (var t in after)
            {
                var b = before[t.Id];
                Assert.Equal(TrialState.Succeeded, t.State);
                Assert.Equal(b.ClientId, t.ClientId);
                Assert.Equal(b.Parameters, t.Parameters);
                Assert.Equal(b.Measurements, t.Measurements);
                Assert.Equal(5 + t.Id, t.FinalMeasurement!.Metrics["loss"]);
                Assert.Equal(b.EndTime, t.EndTime);
            }

            var next = await study.SuggestAsync(2, "after-restart");
            Assert.Equal([201L, 202L], next.Select(t => t.Id));
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_run_of_8_workers_survives_stopping_and_restarting_azurite()
    {
        var cluster = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, $"azrun-{Guid.NewGuid():N}"[..20]);
        try
        {
            const int budget = 120;
            var study = await new VizierClient(cluster.Client).CreateOrLoadStudyAsync("outage", "run", TestConfigs.TwoFloats(maxTrials: budget));
            var acknowledged = new AcknowledgedResults("loss");
            var outage = 0;
            Task? restart = null;
            var runs = Enumerable.Range(0, 8).Select(w => study.RunWorkerAsync($"w{w}", async (trial, token) =>
            {
                if (acknowledged.Count >= budget / 3 && Interlocked.Exchange(ref outage, 1) == 0)
                {
                    // Storage goes away for a while in the middle of the run, then comes back.
                    await azurite.StopAsync();
                    restart = Task.Run(async () =>
                    {
                        await Task.Delay(TimeSpan.FromSeconds(3));
                        await azurite.StartAsync();
                    }, CancellationToken.None);
                }

                await Task.Delay(5, token);
                return Measurement.Of("loss", trial.Id * 2.0);
            }, completed: acknowledged.Record)).ToList();
            await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(3));

            Assert.Equal(1, outage);
            await restart!;
            var trials = await study.ListTrialsAsync();
            acknowledged.AssertNoneLost(trials);
            Assert.Equal(budget, trials.Count(t => t.State == TrialState.Succeeded));
            Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Storage_outage_fails_calls_clearly_and_the_service_recovers_without_a_restart()
    {
        var cluster = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, $"outage-{Guid.NewGuid():N}"[..20]);
        try
        {
            // No client-side retries: this test looks at what a single call reports during the outage.
            var study = await new VizierClient(cluster.Client) { RetryBudget = TimeSpan.Zero }.CreateOrLoadStudyAsync("outage", "s1", TestConfigs.TwoFloats());
            var done = (await study.SuggestAsync(1, "w"))[0];
            await done.CompleteAsync(Measurement.Of("loss", 1));
            var running = (await study.SuggestAsync(1, "w"))[0];

            await azurite.StopAsync();
            var suggest = await Assert.ThrowsAnyAsync<Exception>(() => study.SuggestAsync(1, "other"));
            Assert.IsNotType<TimeoutException>(suggest);
            Assert.Contains("Azure Table storage failed", suggest.Message);
            var complete = await Assert.ThrowsAnyAsync<Exception>(() => running.CompleteAsync(Measurement.Of("loss", 2)));
            Assert.Contains("Azure Table storage failed", complete.Message);

            // Reads are served from the grains' memory meanwhile, unchanged by the failed writes.
            Assert.Equal([1L, 2L], (await study.ListTrialsAsync()).Select(t => t.Id));
            Assert.Equal(TrialState.Active, (await running.MaterializeAsync()).State);

            await azurite.StartAsync();
            Assert.Equal(TrialState.Succeeded, (await running.CompleteAsync(Measurement.Of("loss", 2))).State);
            var next = await study.SuggestAsync(1, "other");
            Assert.True(next[0].Id >= 3, $"id {next[0].Id} reused");
            Assert.Equal(TrialState.Succeeded, (await next[0].CompleteAsync(Measurement.Of("loss", 3))).State);
            var stored = await study.ListTrialsAsync();
            Assert.Equal(stored.Select(t => t.Id).Distinct().Count(), stored.Count);
            Assert.Equal(3, stored.Count(t => t.State == TrialState.Succeeded));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
