using System.Globalization;
using System.Text;

namespace VizierOrleans.Persistence.AzureTables;

/// <summary>
/// Makes strings safe as PartitionKey/RowKey. Azure forbids '/', '\', '#', '?' and control characters in keys; they and
/// the escape character '~' itself become '~XX' (hex), so distinct inputs always give distinct keys.
/// </summary>
internal static class TableKeys
{
    /// <summary>The escaped form of <paramref name="value"/>; throws when the result exceeds Azure's key length.</summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '~' || char.IsControl(c))
            {
                builder.Append('~').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        var key = builder.ToString();
        return key.Length <= AzureTableLimits.MaxKeyChars
            ? key
            : throw new ArgumentException($"Key '{value[..Math.Min(value.Length, 80)]}...' is {key.Length} characters once escaped; Azure Tables allow {AzureTableLimits.MaxKeyChars}.", nameof(value));
    }

    /// <summary>Reverses <see cref="Escape"/>.</summary>
    public static string Unescape(string key)
    {
        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '~' && i + 2 < key.Length)
            {
                // Every escaped character is at most U+00FF (control characters end at U+009F): two hex digits.
                builder.Append((char)int.Parse(key.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }
}
