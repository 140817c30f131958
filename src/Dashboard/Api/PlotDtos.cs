namespace VizierOrleans.Dashboard.Api;

/// <summary>
/// Every trial of a study as columns, for the plots (history, parallel coordinates, slice, contour, Pareto front,
/// timeline): entry i of each array belongs to trial <c>Ids[i]</c>, in id order.
/// </summary>
/// <param name="Ids">Trial ids.</param>
/// <param name="States">Index into <see cref="StateNames"/>.</param>
/// <param name="StateNames">The trial state names the indexes refer to.</param>
/// <param name="Clients">Index into <see cref="ClientNames"/>, -1 for none.</param>
/// <param name="ClientNames">The client ids the indexes refer to.</param>
/// <param name="Start">Seconds from the study's creation to the trial's start (null: not started).</param>
/// <param name="End">Seconds from the study's creation to the trial's completion (null: not completed).</param>
/// <param name="Parameters">Parameter name to values: numbers, or the index into <see cref="Categories"/> for categorical parameters; null where inactive.</param>
/// <param name="Categories">The categories of each categorical parameter.</param>
/// <param name="Metrics">Metric name to final values (null: no final value).</param>
/// <param name="Stopped">True for trials the service stopped early.</param>
/// <param name="Unsafe">True for trials with a safety metric on the bad side of its threshold.</param>
/// <param name="Optimal">Ids of the optimal trials: the best for one objective, the Pareto front for several.</param>
internal sealed record StudyPoints(
    IReadOnlyList<long> Ids, IReadOnlyList<int> States, IReadOnlyList<string> StateNames, IReadOnlyList<int> Clients,
    IReadOnlyList<string> ClientNames, IReadOnlyList<double?> Start, IReadOnlyList<double?> End,
    IReadOnlyDictionary<string, double?[]> Parameters, IReadOnlyDictionary<string, IReadOnlyList<string>> Categories,
    IReadOnlyDictionary<string, double?[]> Metrics, IReadOnlyList<bool> Stopped, IReadOnlyList<bool> Unsafe, IReadOnlyList<long> Optimal);

/// <summary>One trial's learning curve.</summary>
/// <param name="Id">The trial id.</param>
/// <param name="Stopped">True when the service stopped it early.</param>
/// <param name="Steps">The steps of its intermediate measurements.</param>
/// <param name="Values">The metric's values at those steps.</param>
internal sealed record LearningCurve(long Id, bool Stopped, IReadOnlyList<long> Steps, IReadOnlyList<double> Values);

/// <summary>Intermediate values of one metric.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Total">How many trials have intermediate values of it.</param>
/// <param name="Curves">The most recent trials' curves, at most the requested limit.</param>
internal sealed record LearningCurves(string Metric, int Total, IReadOnlyList<LearningCurve> Curves);

/// <summary>How much each parameter explains of one objective.</summary>
/// <param name="Method">The method, in words, as the page shows it.</param>
/// <param name="Objective">The objective.</param>
/// <param name="TrialCount">How many SUCCEEDED trials it used.</param>
/// <param name="Parameters">Per parameter, highest first.</param>
internal sealed record ParameterImportances(string Method, string Objective, int TrialCount, IReadOnlyList<ParameterImportance> Parameters);

/// <summary>One parameter's importance.</summary>
/// <param name="Parameter">The parameter.</param>
/// <param name="Importance">Its share of the summed importances, in [0, 1].</param>
/// <param name="VarianceExplained">The fraction of the objective's rank variance its main effect explains, in [0, 1].</param>
/// <param name="TrialCount">Trials in which it was active.</param>
internal sealed record ParameterImportance(string Parameter, double Importance, double VarianceExplained, int TrialCount);
