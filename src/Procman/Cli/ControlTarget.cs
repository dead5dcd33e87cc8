namespace Procman.Cli;

/// <summary>How a client command was told to find the master: --control-socket, or -c CONFIG, or neither.</summary>
internal sealed record ControlTarget(string? Socket, string? Config);
