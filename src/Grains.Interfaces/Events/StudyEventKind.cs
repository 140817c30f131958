namespace VizierOrleans.Grains.Interfaces.Events;

/// <summary>What changed, in a <see cref="StudyEvent"/>.</summary>
public enum StudyEventKind
{
    /// <summary>A study was created.</summary>
    StudyCreated = 1,

    /// <summary>A study's state changed (ACTIVE, INACTIVE, COMPLETED).</summary>
    StudyStateChanged = 2,

    /// <summary>A study and its trials were deleted.</summary>
    StudyDeleted = 3,

    /// <summary>A trial was created (suggested, or added by hand).</summary>
    TrialCreated = 4,

    /// <summary>A trial was handed to a worker (REQUESTED to ACTIVE).</summary>
    TrialActivated = 5,

    /// <summary>A trial got an intermediate measurement.</summary>
    TrialMeasured = 6,

    /// <summary>A trial completed (SUCCEEDED or INFEASIBLE).</summary>
    TrialCompleted = 7,

    /// <summary>A trial was asked to stop early (ACTIVE to STOPPING).</summary>
    TrialStopped = 8,

    /// <summary>A trial went back to the REQUESTED pool because its worker's lease ran out.</summary>
    TrialReleased = 9,

    /// <summary>A trial's metadata changed.</summary>
    TrialUpdated = 10,

    /// <summary>A trial was deleted.</summary>
    TrialDeleted = 11,
}
