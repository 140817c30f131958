using System.Collections.Concurrent;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests;

/// <summary>
/// The bookkeeping of a chaos test: every completion the service acknowledged to a worker (pass <see cref="Record"/>
/// as the worker loop's <c>completed</c> callback), and the check that the study still holds each one, afterwards.
/// </summary>
/// <param name="metric">The metric whose acknowledged value is compared.</param>
internal sealed class AcknowledgedResults(string metric)
{
    private readonly ConcurrentDictionary<long, double> _values = new();

    /// <summary>How many completions were acknowledged so far.</summary>
    public int Count => _values.Count;

    /// <summary>Records a completion as the service acknowledged it.</summary>
    public void Record(Trial trial) => _values[trial.Id] = trial.FinalMeasurement!.Metrics[metric];

    /// <summary>No trial id appears twice, and every acknowledged completion is stored SUCCEEDED with the acknowledged value.</summary>
    public void AssertNoneLost(IReadOnlyList<Trial> stored)
    {
        Assert.Equal(stored.Count, stored.Select(t => t.Id).Distinct().Count());
        var byId = stored.ToDictionary(t => t.Id);
        Assert.All(_values, acknowledged =>
        {
            Assert.True(byId.TryGetValue(acknowledged.Key, out var trial), $"acknowledged trial {acknowledged.Key} is missing");
            Assert.Equal(TrialState.Succeeded, trial.State);
            Assert.Equal(acknowledged.Value, trial.FinalMeasurement!.Metrics[metric]);
        });
    }
}
