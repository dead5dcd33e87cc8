using System.Reflection;
using System.Runtime.Loader;

namespace Procman.Worker.Hosting;

/// <summary>
/// Loads Procman.Protocol from beside the startup hook. The .NET host resolves an app's assemblies from the
/// app's own dependency list only, and a startup hook's dependencies are not on it: without this, the first
/// use of a protocol type in the worker fails with FileNotFoundException.
/// </summary>
internal static class ProtocolResolver
{
    private const string ProtocolAssembly = "Procman.Protocol";

    /// <summary>Must run before any method that uses a protocol type is compiled.</summary>
    public static void Register() => AssemblyLoadContext.Default.Resolving += Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name != ProtocolAssembly || Path.GetDirectoryName(typeof(ProtocolResolver).Assembly.Location) is not { Length: > 0 } directory)
        {
            return null;
        }
        var path = Path.Combine(directory, ProtocolAssembly + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
