using Microsoft.Playwright;

namespace VizierOrleans.Tests.Dashboard;

/// <summary>
/// Debian's Chromium driven by Playwright, headless, with the flags this machine's closed network needs. Playwright
/// never downloads a browser here: the executable is the Debian package's.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where tests save their screenshots (a test artifact).</summary>
    public static string ArtifactDirectory => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard")).FullName;

    public static async Task<BrowserSession> StartAsync()
    {
        var session = new BrowserSession { _playwright = await Playwright.CreateAsync() };
        session.Browser = await session._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
        return session;
    }

    /// <summary>A new page of the given size, its default timeout long enough for a busy shared machine.</summary>
    public async Task<IPage> NewPageAsync(int width = 1400, int height = 1000)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>Saves a full-page screenshot under <see cref="ArtifactDirectory"/> and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ArtifactDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
