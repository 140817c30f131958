using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using VizierOrleans.Grains.Interfaces.Events;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Events;

/// <summary>
/// Publishes <see cref="StudyEvent"/>s on the cluster's study-event stream after a study or trial change is stored.
/// The grains call it at each change; publishing never fails or delays the change itself (a reader that misses an
/// event sees the change on its next read), so it is fire-and-forget with the failure logged.
/// </summary>
internal sealed partial class StudyEventPublisher(IServiceProvider services, ILogger<StudyEventPublisher> logger)
{
    private IAsyncStream<StudyEvent>? _stream;

    /// <summary>Publishes the event a trial's stored change means; <paramref name="previous"/> is null for a new trial.</summary>
    public static void TrialSaved(IServiceProvider? services, Trial? previous, Trial current, DateTimeOffset time)
    {
        var kind = previous is null ? StudyEventKind.TrialCreated
            : previous.State != current.State ? current.State switch
            {
                TrialState.Active => StudyEventKind.TrialActivated,
                TrialState.Stopping => StudyEventKind.TrialStopped,
                TrialState.Succeeded or TrialState.Infeasible => StudyEventKind.TrialCompleted,
                _ => StudyEventKind.TrialReleased,
            }
            : current.Measurements.Count > previous.Measurements.Count ? StudyEventKind.TrialMeasured
            : StudyEventKind.TrialUpdated;
        From(services)?.Publish(new StudyEvent { Kind = kind, StudyName = current.StudyName, Time = time, Trial = current });
    }

    /// <summary>Publishes that a trial was deleted.</summary>
    public static void TrialDeleted(IServiceProvider? services, Trial trial, DateTimeOffset time) =>
        From(services)?.Publish(new StudyEvent { Kind = StudyEventKind.TrialDeleted, StudyName = trial.StudyName, Time = time, Trial = trial });

    /// <summary>Publishes a study's creation or state change; nothing when neither happened.</summary>
    public static void StudySaved(IServiceProvider? services, string studyName, StudyState? previous, StudyState current, DateTimeOffset time)
    {
        if (previous == current)
        {
            return;
        }

        var kind = previous is null ? StudyEventKind.StudyCreated : StudyEventKind.StudyStateChanged;
        From(services)?.Publish(new StudyEvent { Kind = kind, StudyName = studyName, Time = time, StudyState = current });
    }

    /// <summary>Publishes that a study was deleted.</summary>
    public static void StudyDeleted(IServiceProvider? services, string studyName, DateTimeOffset time) =>
        From(services)?.Publish(new StudyEvent { Kind = StudyEventKind.StudyDeleted, StudyName = studyName, Time = time });

    /// <summary>Publishes one event without waiting for it.</summary>
    public void Publish(StudyEvent studyEvent)
    {
        try
        {
            _stream ??= services.GetRequiredKeyedService<IStreamProvider>(StudyEventStreams.Provider)
                .GetStream<StudyEvent>(StudyEventStreams.Namespace, StudyEventStreams.Key);
            var sent = _stream.OnNextAsync(studyEvent);
            if (!sent.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(sent, studyEvent);
            }
        }
        catch (Exception e)
        {
            LogPublishFailed(logger, e, studyEvent.Kind, studyEvent.StudyName);
        }
    }

    // Hosts without the study-event stream (some tests) publish nothing.
    private static StudyEventPublisher? From(IServiceProvider? services) => services?.GetService<StudyEventPublisher>();

    private async Task ObserveAsync(Task sent, StudyEvent studyEvent)
    {
        try
        {
            await sent;
        }
        catch (Exception e)
        {
            LogPublishFailed(logger, e, studyEvent.Kind, studyEvent.StudyName);
        }
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Publishing {Kind} of {Study} on the study-event stream failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, StudyEventKind kind, string study);
}
