using VizierOrleans.Grains.Interfaces.Events;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Dashboard.Api;

/// <summary>One study event as the event feed sends it (the SSE event's name is <see cref="Kind"/>).</summary>
/// <param name="Kind">What changed: STUDY_CREATED, STUDY_STATE_CHANGED, STUDY_DELETED, TRIAL_CREATED, TRIAL_ACTIVATED, TRIAL_MEASURED, TRIAL_COMPLETED, TRIAL_STOPPED, TRIAL_RELEASED, TRIAL_UPDATED, TRIAL_DELETED.</param>
/// <param name="Study">The study's resource name.</param>
/// <param name="Time">When the change was stored.</param>
/// <param name="StudyState">The study's state, for study events.</param>
/// <param name="Trial">The trial as stored, for trial events.</param>
internal sealed record StudyEventView(StudyEventKind Kind, string Study, DateTimeOffset Time, StudyState? StudyState, TrialRow? Trial);
