using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Dashboard.Api;

/// <summary>One row of the trial table.</summary>
/// <param name="Id">The trial id.</param>
/// <param name="State">The trial's state.</param>
/// <param name="ClientId">The worker that holds or held it.</param>
/// <param name="Parameters">Parameter name to value (a number, or a string for categorical parameters).</param>
/// <param name="Metrics">The final measurement's metrics (absent until completed).</param>
/// <param name="StartTime">When a worker first received it.</param>
/// <param name="EndTime">When it completed.</param>
/// <param name="Stopped">True when the service asked it to stop early.</param>
/// <param name="Unsafe">True when a safety metric of its final measurement is on the bad side of its threshold.</param>
internal sealed record TrialRow(
    long Id, TrialState State, string? ClientId, IReadOnlyDictionary<string, object> Parameters, IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset? StartTime, DateTimeOffset? EndTime, bool Stopped, bool Unsafe);

/// <summary>A page of the trial table.</summary>
/// <param name="Total">How many trials match the filters.</param>
/// <param name="Page">This page's number, from 1.</param>
/// <param name="PageSize">Trials per page.</param>
/// <param name="Trials">The trials of this page, in the requested order.</param>
internal sealed record TrialPage(int Total, int Page, int PageSize, IReadOnlyList<TrialRow> Trials);

/// <summary>One trial in full.</summary>
/// <param name="Row">What the table shows.</param>
/// <param name="Name">The trial's resource name.</param>
/// <param name="FinalMeasurement">The final measurement.</param>
/// <param name="Measurements">Intermediate measurements in the order they were added.</param>
/// <param name="InfeasibleReason">Why it is INFEASIBLE.</param>
/// <param name="StoppingReason">Why the service stopped it.</param>
/// <param name="CreateTime">When it was created.</param>
/// <param name="Metadata">Trial metadata.</param>
internal sealed record TrialDetail(
    TrialRow Row, string Name, Measurement? FinalMeasurement, IReadOnlyList<Measurement> Measurements, string? InfeasibleReason,
    string? StoppingReason, DateTimeOffset CreateTime, IReadOnlyList<MetadataItem> Metadata);
