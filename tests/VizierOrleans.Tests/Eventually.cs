namespace VizierOrleans.Tests;

/// <summary>Waits for what the service promises to reach eventually (owner summaries lag their study by up to a second).</summary>
internal static class Eventually
{
    /// <summary>Reads <paramref name="read"/> until <paramref name="done"/> holds (at most 20 s), and returns the last value read.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }
}
