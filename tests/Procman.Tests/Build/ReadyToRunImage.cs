using System.Reflection.PortableExecutable;

namespace Procman.Tests.Build;

/// <summary>Reads whether an assembly file carries ReadyToRun code.</summary>
internal static class ReadyToRunImage
{
    // READYTORUN_HEADER.Signature, "RTR" (docs/design/coreclr/botr/readytorun-format.md in dotnet/runtime).
    private const uint Signature = 0x00525452;

    /// <summary>True when the file's CLI header points at a ReadyToRun header (an IL-only assembly has none).</summary>
    public static bool IsReadyToRun(string path)
    {
        using var reader = new PEReader(File.OpenRead(path));
        var directory = reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory ?? default;
        if (directory.Size == 0)
        {
            return false;
        }
        return reader.GetSectionData(directory.RelativeVirtualAddress).GetReader().ReadUInt32() == Signature;
    }
}
