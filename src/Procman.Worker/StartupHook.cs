using System.Runtime.CompilerServices;
using Procman.Worker.Hosting;

/// <summary>
/// The entry point the .NET host calls, through <c>DOTNET_STARTUP_HOOKS</c>, before the app's <c>Main</c>.
/// The runtime requires exactly this name, in no namespace, with a static <c>Initialize</c> method.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        ProtocolResolver.Register();
        Attach();
    }

    // A separate method, not inlined: the protocol assembly is loaded when this is compiled, after the resolver is in place.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Attach() => WorkerAgent.AttachFromEnvironment();
}
