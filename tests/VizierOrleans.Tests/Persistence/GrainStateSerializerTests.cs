using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;
using VizierOrleans.Persistence.AzureTables;
using AzureTableGrainStorage = VizierOrleans.Persistence.AzureTables.Storage.AzureTableGrainStorage;

namespace VizierOrleans.Tests.Persistence;

/// <summary>Our provider serializes through Orleans' <see cref="IGrainStorageSerializer"/>, and still reads the rows written before it did.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GrainStateSerializerTests(AzuriteFixture azurite)
{
    private const string Table = "SerializerTests";
    private static readonly GrainId Grain = GrainId.Create("trial", "owners/alice/studies/s1/trials/7");

    private async Task<AzureTableGrainStorage> NewStorageAsync(string serviceId, IGrainStorageSerializer? serializer = null)
    {
        var options = new AzureTableGrainStorageOptions { ConnectionString = azurite.ConnectionString, TableName = Table };
        if (serializer is not null)
        {
            options.GrainStorageSerializer = serializer;
        }

        var storage = new AzureTableGrainStorage("vizier", options, new ClusterOptions { ServiceId = serviceId }, new VizierPartitionLayout(), NullLogger<AzureTableGrainStorage>.Instance);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    [Fact]
    public async Task A_row_written_in_the_json_format_of_before_the_serializer_was_configurable_still_loads()
    {
        var serviceId = $"svc{Guid.NewGuid():N}";
        var storage = await NewStorageAsync(serviceId);

        // Exactly what the provider wrote until now: JSON by property name, enums by name, in Data0.
        var json = Encoding.UTF8.GetBytes("""{"Trial":{"StudyName":"owners/alice/studies/s1","Id":7,"State":"Succeeded","ClientId":"worker-1","InfeasibleReason":"none"}}""");
        var (partition, row) = storage.Keys("trial", Grain);
        await new TableClient(azurite.ConnectionString, Table).AddEntityAsync(new TableEntity(partition, row)
        {
            ["Encoding"] = "json",
            ["Length"] = json.Length,
            ["Data0"] = json,
        });

        var read = new TestGrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", Grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal((7L, TrialState.Succeeded, "worker-1", "none"), (read.State.Trial!.Id, read.State.Trial.State, read.State.Trial.ClientId, read.State.Trial.InfeasibleReason));
    }

    [Fact]
    public async Task The_default_serializer_writes_json_by_property_name()
    {
        var serviceId = $"svc{Guid.NewGuid():N}";
        var storage = await NewStorageAsync(serviceId);
        await storage.WriteStateAsync("trial", Grain, State());

        var (partition, row) = storage.Keys("trial", Grain);
        var stored = (await new TableClient(azurite.ConnectionString, Table).GetEntityAsync<TableEntity>(partition, row)).Value;
        var text = Encoding.UTF8.GetString(stored.GetBinary("Data0"));
        Assert.StartsWith("""{"Trial":{"StudyName":"owners/alice/studies/s1","Id":7,""", text, StringComparison.Ordinal);
        Assert.Contains("\"State\":\"Active\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_orleans_serializer_writes_its_own_bytes_and_reads_them_back()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var binary = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        var storage = await NewStorageAsync($"svc{Guid.NewGuid():N}", binary);
        var written = State();
        await storage.WriteStateAsync("trial", Grain, written);

        var (partition, row) = storage.Keys("trial", Grain);
        var stored = (await new TableClient(azurite.ConnectionString, Table).GetEntityAsync<TableEntity>(partition, row)).Value;
        Assert.NotEqual((byte)'{', stored.GetBinary("Data0")[0]);

        var read = new TestGrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", Grain, read);
        var trial = read.State.Trial!;
        Assert.Equal((7L, TrialState.Active, "worker-1", 0.01, written.State.Trial!.CreateTime), (trial.Id, trial.State, trial.ClientId, trial.Parameters["lr"].Number, trial.CreateTime));
        Assert.Equal(written.ETag, read.ETag);
    }

    private static TestGrainState<TrialRecord> State() => new(new TrialRecord
    {
        Trial = new Trial
        {
            StudyName = "owners/alice/studies/s1",
            Id = 7,
            State = TrialState.Active,
            ClientId = "worker-1",
            Parameters = System.Collections.Immutable.ImmutableDictionary<string, ParameterValue>.Empty.Add("lr", 0.01),
            CreateTime = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
        },
    });
}
