namespace VizierOrleans.Tests;

/// <summary>Finds the repository and the build output of other projects, for tests that start them as processes.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever this test assembly was built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The path of a project's built assembly, e.g. ("samples/Worker", "VizierOrleans.Worker").</summary>
    public static string Output(string projectFolder, string assemblyName) =>
        Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", assemblyName + ".dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VizierOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No VizierOrleans.sln above {AppContext.BaseDirectory}.");
    }
}
