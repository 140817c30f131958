namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>The lifecycle state of a trial.</summary>
public enum TrialState
{
    /// <summary>Queued and not yet handed to a worker.</summary>
    Requested = 1,

    /// <summary>Handed to a worker that is evaluating it.</summary>
    Active = 2,

    /// <summary>The service asked the worker to stop early.</summary>
    Stopping = 3,

    /// <summary>Completed with a final measurement.</summary>
    Succeeded = 4,

    /// <summary>Completed as infeasible, with a reason.</summary>
    Infeasible = 5,
}

/// <summary>Helpers on <see cref="TrialState"/>.</summary>
public static class TrialStateExtensions
{
    /// <summary>True for SUCCEEDED and INFEASIBLE.</summary>
    public static bool IsCompleted(this TrialState state) => state is TrialState.Succeeded or TrialState.Infeasible;

    /// <summary>True for ACTIVE and STOPPING: a worker holds the trial.</summary>
    public static bool IsRunning(this TrialState state) => state is TrialState.Active or TrialState.Stopping;
}
