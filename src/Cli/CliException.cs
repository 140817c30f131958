namespace VizierOrleans.Cli;

/// <summary>An error the tool reports as one line on stderr, with its exit code.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
