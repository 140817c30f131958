using System.IO.Hashing;
using System.Text;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>Deterministic random generators derived from a seed and a position, stable across processes.</summary>
internal static class SeededRandom
{
    /// <summary>A generator for (seed, position, salt); the same inputs always give the same sequence.</summary>
    public static Random Create(long seed, long position, string salt = "") =>
        new(unchecked((int)Mix(seed, position, salt)));

    /// <summary>A stable 64-bit seed for a string (for example, a study name when the config has no seed).</summary>
    public static long FromString(string text) => unchecked((long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text)));

    private static ulong Mix(long seed, long position, string salt)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, seed);
        BitConverter.TryWriteBytes(bytes[8..], position);
        var hash = XxHash64.HashToUInt64(bytes, FromString(salt));
        return hash ^ (hash >> 32);
    }
}
