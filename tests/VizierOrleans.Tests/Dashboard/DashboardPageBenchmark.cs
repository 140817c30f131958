using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace VizierOrleans.Tests.Dashboard;

/// <summary>
/// A benchmark, not a test (skipped unless <c>VIZIER_DASHBOARD_BENCH=1</c>): how long the study page of a 10,000- and a
/// 100,000-trial study takes from navigation until it is interactive (history plot drawn with every point, first
/// table page shown) in headless Chromium, three runs each. Run:
/// <c>VIZIER_DASHBOARD_BENCH=1 dotnet test tests/VizierOrleans.Tests -c Release --no-build --filter "FullyQualifiedName~DashboardPageBenchmark" --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardPageBenchmark(DashboardFixture fixture, ITestOutputHelper output)
{
    [BenchmarkTheory]
    [InlineData(10_000)]
    [InlineData(100_000)]
    public async Task Study_page_becomes_interactive(int trials)
    {
        var create = Stopwatch.StartNew();
        await fixture.StudyWithTrialsAsync("bench-owner", $"bench-{trials}", trials);
        output.WriteLine($"created {trials} trials in {create.Elapsed.TotalSeconds:F1} s");

        await using var browser = await BrowserSession.StartAsync();
        var seconds = new List<double>();
        for (var run = 0; run < 4; run++)
        {
            var page = await browser.NewPageAsync();
            page.SetDefaultTimeout(120_000);
            var watch = Stopwatch.StartNew();
            await page.GotoAsync($"{fixture.OpenUrl}/#/study/bench-owner/bench-{trials}");
            await page.WaitForSelectorAsync($"#plot-history[data-point-count='{trials}']");
            await page.WaitForSelectorAsync("tr[data-trial='1']");
            // One frame after both: the page has painted and answers input.
            await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => r(null)))");
            var elapsed = watch.Elapsed.TotalSeconds;
            if (run > 0)
            {
                seconds.Add(elapsed);  // run 0 warms the server's trial cache and the browser's bundle cache
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{trials} trials, run {run}: {elapsed:F2} s{(run == 0 ? " (warm-up)" : "")}"));
            await BrowserSession.ScreenshotAsync(page, $"bench-{trials}");
            await page.CloseAsync();
        }

        seconds.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{trials} trials: median {seconds[1]:F2} s, range {seconds[0]:F2}-{seconds[2]:F2} s over 3 runs"));
    }
}

/// <summary>A theory that runs only when <c>VIZIER_DASHBOARD_BENCH=1</c>.</summary>
public sealed class BenchmarkTheoryAttribute : TheoryAttribute
{
    public BenchmarkTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("VIZIER_DASHBOARD_BENCH") != "1")
        {
            Skip = "a benchmark: set VIZIER_DASHBOARD_BENCH=1 to run it";
        }
    }
}
