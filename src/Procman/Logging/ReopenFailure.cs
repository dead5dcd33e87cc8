namespace Procman.Logging;

/// <summary>Why a log file could not be opened again, and where its lines go meanwhile.</summary>
internal sealed record ReopenFailure(string Reason, string WritingTo);
