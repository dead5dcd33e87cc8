namespace Procman.Upgrade;

/// <summary>How this procman was started, so that SIGUSR2 starts the same one: under <c>dotnet procman.dll</c>, as the apphost or as the native executable.</summary>
internal sealed record MasterCommand(string File, IReadOnlyList<string> Arguments)
{
    public static MasterCommand Current()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the runtime does not know procman's executable");
        // Under the dotnet host the first argument is procman.dll; under the apphost, procman.dll too, which the
        // apphost finds by itself; in the native executable, the executable as it was started (argv[0]).
        var arguments = Environment.GetCommandLineArgs();
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? new MasterCommand(process, arguments)
            : new MasterCommand(process, arguments[1..]);
    }
}
