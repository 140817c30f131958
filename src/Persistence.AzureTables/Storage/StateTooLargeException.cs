namespace VizierOrleans.Persistence.AzureTables.Storage;

/// <summary>A grain state is larger than one Azure table entity can hold; nothing was written.</summary>
[GenerateSerializer, Alias("vizier.StateTooLargeException")]
public sealed class StateTooLargeException(string message) : Exception(message);
