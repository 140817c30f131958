using System.Text;
using Azure.Data.Tables;

namespace VizierOrleans.Persistence.AzureTables.Storage;

/// <summary>
/// What an entity adds to an entity-group transaction's request, which is what Azure's 4 MiB limit counts: binary
/// properties travel base64-encoded (4 bytes per 3) inside JSON, each property with its "@odata.type" annotation, and
/// every operation has its own MIME part with a request line that holds the URL-encoded keys. Azurite checks none of it,
/// so an upper bound is computed here.
/// </summary>
internal static class TransactionSize
{
    /// <summary>The batch's and the change set's own boundaries and headers.</summary>
    public const int FramingBytes = 4 * 1024;

    // An operation's MIME part: boundary, part headers, request line, HTTP headers (If-Match, Content-Type, ...).
    private const int OperationOverheadBytes = 1024;

    // Quotes, colon and comma, and the "name@odata.type":"Edm.Binary" annotation beside the value.
    private const int PropertyOverheadBytes = 48;

    /// <summary>The most bytes <paramref name="entity"/>'s operation can take in a transaction's request.</summary>
    public static int Of(ITableEntity entity)
    {
        // The provider writes only TableEntity rows; anything else would need its own serializer to size.
        var properties = entity as TableEntity ?? throw new ArgumentException($"Expected a {nameof(TableEntity)}, got {entity.GetType().Name}.", nameof(entity));
        // The URL holds both keys, percent-encoded: at most 3 bytes per UTF-8 byte.
        var bytes = OperationOverheadBytes + (3 * (Utf8(entity.PartitionKey) + Utf8(entity.RowKey)));
        foreach (var (name, value) in properties)
        {
            bytes += PropertyOverheadBytes + (2 * Utf8(name)) + value switch
            {
                byte[] binary => 4 * ((binary.Length + 2) / 3),

                // JSON may escape every UTF-16 character as \uXXXX.
                string text => 6 * text.Length,
                _ => 40,
            };
        }

        return bytes;
    }

    private static int Utf8(string? value) => value is null ? 0 : Encoding.UTF8.GetByteCount(value);
}
