using System.Diagnostics.Metrics;

namespace VizierOrleans.Persistence.AzureTables.Storage;

/// <summary>
/// What the provider writes to Azure Tables, on the service's meter (<c>VizierOrleans</c>), by grain type: the load
/// benchmark reports entity writes and bytes per trial from them.
/// </summary>
internal static class StorageMetrics
{
    private static readonly Meter Meter = new("VizierOrleans");

    public static readonly Counter<long> Entities = Meter.CreateCounter<long>("vizier.storage.table.entities", "{entity}", "Grain-state entities written to Azure Tables, by grain type");

    public static readonly Counter<long> JsonBytes = Meter.CreateCounter<long>("vizier.storage.table.json", "By", "Bytes of grain-state JSON written to Azure Tables (before compression), by grain type");

    public static readonly Counter<long> StoredBytes = Meter.CreateCounter<long>("vizier.storage.table.stored", "By", "Bytes of grain state as sent to Azure Tables (after compression), by grain type");

    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("vizier.storage.table.requests", "{request}", "Write requests sent to Azure Tables: one per transaction or single-entity write (the table service's cost is mostly per request)");

    /// <summary>Counts one write request to <paramref name="table"/>: a transaction (<paramref name="transaction"/>) or a single entity.</summary>
    public static void Requested(string table, bool transaction) =>
        Requests.Add(1, new KeyValuePair<string, object?>("vizier.table", table), new KeyValuePair<string, object?>("request.kind", transaction ? "transaction" : "single"));

    /// <summary>Counts one acknowledged entity write.</summary>
    public static void Written(GrainId grainId, int jsonBytes, long storedBytes)
    {
        var type = new KeyValuePair<string, object?>("grain.type", grainId.Type.ToString());
        Entities.Add(1, type);
        JsonBytes.Add(jsonBytes, type);
        StoredBytes.Add(storedBytes, type);
    }
}
