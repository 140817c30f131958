namespace VizierOrleans.Grains.Study;

/// <summary>
/// The clock trial leases are measured on. The system clock unless a host registers another: tests register a fake
/// one they move, without moving the clock Orleans itself runs on (timers, membership, call timeouts), which a study
/// grain's <see cref="TimeProvider"/> is.
/// </summary>
internal sealed class LeaseClock(TimeProvider time)
{
    /// <summary>The system clock.</summary>
    public static LeaseClock System { get; } = new(TimeProvider.System);

    /// <summary>The time leases are measured in.</summary>
    public TimeProvider Time { get; } = time;
}
