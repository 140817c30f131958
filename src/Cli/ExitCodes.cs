namespace VizierOrleans.Cli;

/// <summary>The tool's exit codes, the same for every command.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad arguments, a bad file, or an argument the service refused (INVALID_ARGUMENT and the like).</summary>
    public const int Usage = 1;

    public const int NotFound = 2;

    /// <summary>The study or trial is in a state that does not allow it (FAILED_PRECONDITION, ALREADY_EXISTS).</summary>
    public const int FailedPrecondition = 3;

    /// <summary>The endpoint cannot be reached (UNAVAILABLE, DEADLINE_EXCEEDED).</summary>
    public const int Unavailable = 4;
}
