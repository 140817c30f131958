namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>The lifecycle state of a study.</summary>
public enum StudyState
{
    /// <summary>Accepting suggestions and results.</summary>
    Active = 1,

    /// <summary>Paused by its owner: immutable until set active again.</summary>
    Inactive = 2,

    /// <summary>Finished (budget used or search space exhausted): immutable.</summary>
    Completed = 3,
}
