using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VizierOrleans.Dashboard.Data;
using VizierOrleans.Dashboard.Events;
using VizierOrleans.Grains.Interfaces.Events;

namespace VizierOrleans.Tests.Dashboard;

public sealed class StudyEventHubTests
{
    private const string Study = "owners/o/studies/s";

    [Fact]
    public async Task Trials_per_second_counts_the_completions_of_the_last_ten_seconds_and_forgets_a_deleted_study()
    {
        var time = new FakeTimeProvider();
        var hub = new StudyEventHub(null!, new StudyReader(null!, time), time, NullLogger<StudyEventHub>.Instance);
        for (var i = 0; i < 20; i++)
        {
            await hub.OnNextAsync(Event(StudyEventKind.TrialCompleted, time));
        }

        await hub.OnNextAsync(Event(StudyEventKind.TrialMeasured, time));
        Assert.Equal(2.0, hub.TrialsPerSecond(Study));
        Assert.Equal(0.0, hub.TrialsPerSecond("owners/o/studies/other"));

        time.Advance(TimeSpan.FromSeconds(6));
        for (var i = 0; i < 5; i++)
        {
            await hub.OnNextAsync(Event(StudyEventKind.TrialCompleted, time));
        }

        Assert.Equal(2.5, hub.TrialsPerSecond(Study));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0.5, hub.TrialsPerSecond(Study));

        await hub.OnNextAsync(Event(StudyEventKind.StudyDeleted, time));
        Assert.Equal(0.0, hub.TrialsPerSecond(Study));
    }

    private static StudyEvent Event(StudyEventKind kind, TimeProvider time) => new() { Kind = kind, StudyName = Study, Time = time.GetUtcNow() };
}
