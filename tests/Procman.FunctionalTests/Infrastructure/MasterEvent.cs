using System.Text.Json;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>One event the master logged, read from its compact-JSON log (--log-format json).</summary>
internal sealed record MasterEvent(int Id, string Template, JsonElement Properties)
{
    // The master's stable event ids (see docs/logging.md).
    public const int WorkerStarted = 2;
    public const int WorkerReady = 3;
    public const int WorkerExited = 4;
    public const int WorkerCrashed = 5;
    public const int WorkerFailed = 6;
    public const int WorkerKilled = 9;
    public const int RetiringWorker = 11;
    public const int WritingDump = 12;
    public const int DumpWritten = 13;
    public const int SignalReceived = 20;
    public const int SignalIgnored = 21;
    public const int Stopping = 22;
    public const int ReloadComplete = 31;
    public const int ReloadFailed = 32;
    public const int ReloadRefused = 34;
    public const int ReloadRequested = 35;
    public const int Recycling = 40;
    public const int Scaled = 42;
    public const int ScaleRefused = 43;
    public const int SlotSocketsClosed = 44;
    public const int WorkerHung = 80;
    public const int WorkerStacks = 81;
    public const int NoStacks = 82;
    public const int DiagnosisTimedOut = 83;
    public const int CrashOutput = 84;
    public const int CrashLoop = 85;
    public const int Listening = 50;
    public const int ConfigurationWarning = 52;
    public const int WorkerOutput = 60;
    public const int ErrorLogReopenFailed = 70;
    public const int SocketFileRecreated = 71;
    public const int AddressVariablesIgnored = 100;
    public const int WorkersIdentity = 124;
    public const int UpgradeStarted = 130;
    public const int UpgradeHandedOver = 131;
    public const int UpgradeFailed = 132;
    public const int UpgradeRefused = 133;
    public const int ReloadRefusedForUpgrade = 136;
    public const int UpgradeInherited = 138;
    public const int UpgradeTakenOver = 139;
    public const int ControlListening = 150;
    public const int ControlCommand = 151;
    public const int ControlPeerRefused = 153;
    public const int RollingReloadStarting = 170;
    public const int RollKept = 171;

    public int Int(string property) => Properties.GetProperty(property).GetInt32();

    public DateTime Time => Properties.GetProperty("@t").GetDateTime().ToUniversalTime();

    public string Text(string property) => Properties.GetProperty(property).ToString();

    public static MasterEvent? TryParse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement.Clone();
            var id = root.TryGetProperty("EventId", out var eventId) && eventId.TryGetProperty("Id", out var value) ? value.GetInt32() : 0;
            return new MasterEvent(id, root.GetProperty("@mt").GetString() ?? "", root);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
