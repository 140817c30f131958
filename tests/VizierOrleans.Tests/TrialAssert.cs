using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests;

/// <summary>Field-by-field comparison of trials (the record's own equality compares its collections by reference).</summary>
internal static class TrialAssert
{
    /// <summary>Every field of <paramref name="actual"/> equals <paramref name="expected"/>'s, intermediate measurements included.</summary>
    public static void Same(Trial expected, Trial actual)
    {
        var trial = expected.Name;
        Assert.Equal((trial, expected.StudyName, expected.Id), (trial, actual.StudyName, actual.Id));
        Assert.Equal(expected.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal((trial, expected.State, expected.ClientId), (trial, actual.State, actual.ClientId));
        Assert.Equal(expected.Measurements, actual.Measurements);
        Assert.Equal(expected.FinalMeasurement, actual.FinalMeasurement);
        Assert.Equal((trial, expected.InfeasibleReason, expected.StoppingReason), (trial, actual.InfeasibleReason, actual.StoppingReason));
        Assert.Equal((trial, expected.CreateTime, expected.StartTime, expected.EndTime), (trial, actual.CreateTime, actual.StartTime, actual.EndTime));
        Assert.Equal(expected.Metadata, actual.Metadata);
        Assert.Equal((trial, expected.Version), (trial, actual.Version));
    }

    /// <summary>The same trials, in the same order, each <see cref="Same"/>.</summary>
    public static void Same(IReadOnlyList<Trial> expected, IReadOnlyList<Trial> actual)
    {
        Assert.Equal(expected.Select(t => t.Id), actual.Select(t => t.Id));
        for (var i = 0; i < expected.Count; i++)
        {
            Same(expected[i], actual[i]);
        }
    }
}
