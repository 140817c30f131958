namespace VizierOrleans.ClientGateway;

/// <summary>Thrown by an evaluation function to report that a trial's point cannot be evaluated.</summary>
/// <param name="reason">Why; stored as the trial's infeasible reason.</param>
public sealed class InfeasibleTrialException(string reason) : Exception(reason);
