using System.Globalization;
using Spectre.Console;

namespace VizierOrleans.Cli.Output;

/// <summary>A progress bar on stderr for long exports, imports and copies; nothing when stderr is not a terminal.</summary>
internal static class ProgressBar
{
    /// <summary>Runs <paramref name="work"/>, which reports progress in items; a null <paramref name="total"/> shows a count instead of a fraction.</summary>
    public static async Task<T> RunAsync<T>(Printer printer, string label, double? total, Func<Action<double>, Task<T>> work)
    {
        if (!printer.ShowsProgress || printer.Json)
        {
            return await work(_ => { });
        }

        return await printer.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(label, maxValue: Math.Max(1, total ?? 1));
                task.IsIndeterminate = total is null;
                var done = 0.0;
                var result = await work(n =>
                {
                    done += n;
                    if (total is null)
                    {
                        task.Description = $"{label}: {done.ToString("N0", CultureInfo.InvariantCulture)}";
                    }
                    else
                    {
                        task.Increment(n);
                    }
                });
                task.Value = task.MaxValue;
                return result;
            });
    }
}
