using Procman.Configuration;

namespace Procman.Cli;

/// <summary>What <c>procman run</c> was asked to do, before any setting is validated.</summary>
internal sealed record RunRequest(
    string? AppPath,
    IReadOnlyList<string> AppArguments,
    IReadOnlyList<SettingInput> CommandLine,
    bool PrintConfig,
    bool CheckConfig);
