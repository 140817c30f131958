using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Persistence.AzureTables.Storage;

namespace VizierOrleans.Tests.Persistence;

public sealed class SharedStringConverterTests
{
    private static TrialRecord Record(long id, string client) => new()
    {
        Trial = new Trial
        {
            StudyName = "owners/alice/studies/s1",
            Id = id,
            State = TrialState.Succeeded,
            ClientId = client,
            Parameters = ImmutableDictionary<string, ParameterValue>.Empty.Add("learning_rate", 0.1).Add("model", "tree"),
            FinalMeasurement = Measurement.Of("loss", id),
            Metadata = Metadata.Empty.With("ns", "k", "a \"quoted\" \u00e9 value"),
        },
    };

    private static TrialRecord RoundTrip(TrialRecord record) =>
        JsonGrainStateSerializer.Instance.Deserialize<TrialRecord>(JsonGrainStateSerializer.Instance.Serialize(record));

    [Fact]
    public void States_read_from_storage_share_the_strings_they_repeat_and_keep_every_value()
    {
        var first = RoundTrip(Record(1, "worker-1")).Trial!;
        var second = RoundTrip(Record(2, "worker-1")).Trial!;

        Assert.Same(first.StudyName, second.StudyName);
        Assert.Same(first.ClientId, second.ClientId);
        Assert.Same(first.Parameters["model"].Text, second.Parameters["model"].Text);
        Assert.Same(first.Parameters.Keys.Single(k => k == "learning_rate"), second.Parameters.Keys.Single(k => k == "learning_rate"));
        Assert.Same(first.FinalMeasurement!.Metrics.Keys.Single(), second.FinalMeasurement!.Metrics.Keys.Single());

        // Escaped and long strings are read as they are (not cached), and unchanged.
        Assert.Equal("a \"quoted\" \u00e9 value", second.Metadata.Get("ns", "k"));
        var longName = new string('x', 300);
        Assert.Equal(longName, RoundTrip(Record(3, longName)).Trial!.ClientId);
        Assert.Equal(("owners/alice/studies/s1", 2L, "worker-1", 0.1, "tree"), (second.StudyName, second.Id, second.ClientId, second.Parameters["learning_rate"].Number, second.Parameters["model"].Text));
    }
}
