using System.Diagnostics;

namespace VizierOrleans.Tests;

/// <summary>Waits for a process of ours (a silo, the gRPC front door) to answer <c>GET /healthz</c> with success.</summary>
internal static class HealthProbe
{
    /// <summary>True once healthy (at <paramref name="host"/>); false when the process exits or <paramref name="timeout"/> passes first.</summary>
    public static async Task<bool> WaitAsync(int healthPort, Process process, TimeSpan timeout, string host = "127.0.0.1")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://{host}:{healthPort}/healthz"))).IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        return false;
    }
}
