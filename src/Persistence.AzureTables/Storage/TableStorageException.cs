namespace VizierOrleans.Persistence.AzureTables.Storage;

/// <summary>Azure Table Storage failed or could not be reached; the write may or may not have been applied, and the grain keeps its last acknowledged state.</summary>
[GenerateSerializer, Alias("vizier.TableStorageException")]
public sealed class TableStorageException(string message, Exception? inner = null) : Exception(message, inner);
