using Spectre.Console;

namespace VizierOrleans.Cli.Output;

/// <summary>A progress bar on stderr for long exports, imports and copies; nothing when stderr is not a terminal.</summary>
internal static class ProgressBar
{
    public static async Task<T> RunAsync<T>(Printer printer, string label, double total, Func<Action<double>, Task<T>> work)
    {
        if (!printer.ShowsProgress || printer.Json)
        {
            return await work(_ => { });
        }

        return await printer.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(label, maxValue: Math.Max(1, total));
                return await work(n => task.Increment(n));
            });
    }
}
