using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Dashboard.Api;

/// <summary>One row of the studies list.</summary>
/// <param name="Name">The resource name, <c>owners/{owner}/studies/{studyId}</c>.</param>
/// <param name="Owner">The owner.</param>
/// <param name="StudyId">The study id.</param>
/// <param name="State">ACTIVE, INACTIVE or COMPLETED.</param>
/// <param name="StateReason">Why the study is in its state.</param>
/// <param name="Algorithm">The algorithm's name.</param>
/// <param name="CreateTime">When it was created.</param>
/// <param name="TrialCounts">Trials by state (REQUESTED, ACTIVE, STOPPING, SUCCEEDED, INFEASIBLE), and TOTAL.</param>
/// <param name="Best">The best final value of each objective among SUCCEEDED trials (absent when none succeeded).</param>
/// <param name="TrialsPerSecond">Trials completed per second over the last 10 seconds, as the dashboard saw them.</param>
internal sealed record StudySummary(
    string Name, string Owner, string StudyId, StudyState State, string? StateReason, string Algorithm, DateTimeOffset CreateTime,
    IReadOnlyDictionary<string, int> TrialCounts, IReadOnlyDictionary<string, double> Best, double TrialsPerSecond);

/// <summary>A page of the studies list.</summary>
/// <param name="Total">How many studies match the filters.</param>
/// <param name="Page">This page's number, from 1.</param>
/// <param name="PageSize">Studies per page.</param>
/// <param name="Owners">Every owner the caller may see (for the owner filter).</param>
/// <param name="Studies">The studies of this page, newest first.</param>
internal sealed record StudyPage(int Total, int Page, int PageSize, IReadOnlyList<string> Owners, IReadOnlyList<StudySummary> Studies);

/// <summary>One study with its full configuration.</summary>
/// <param name="Summary">State, counts and best values.</param>
/// <param name="Config">The configuration: search space tree, metrics, algorithm, stopping rule, budget, metadata.</param>
/// <param name="Metadata">Current study metadata (the config's, plus updates).</param>
internal sealed record StudyDetail(StudySummary Summary, StudyConfig Config, IReadOnlyList<MetadataItem> Metadata);

/// <summary>The body of a state change.</summary>
/// <param name="State">ACTIVE, INACTIVE or COMPLETED.</param>
internal sealed record SetStateRequest(string? State);
