using System.Diagnostics;
using System.Reflection;

namespace VizierOrleans.ClientGateway.Hosting;

/// <summary>
/// Starts more copies of the running program, for the "several processes on one machine" way of running workers,
/// whether the program runs as its own executable or as <c>dotnet Program.dll</c>.
/// </summary>
public static class ThisProgram
{
    /// <summary>A start-info that runs this program again with <paramref name="arguments"/>.</summary>
    public static ProcessStartInfo StartInfo(params IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var info = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("No entry assembly."));
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
