namespace Procman.Tests.Arbitration;

/// <summary>What the arbiter did to a fake worker's process, other than a channel message.</summary>
internal enum HandleAction
{
    Terminate,
    Kill,
    ReopenLogs,
}
