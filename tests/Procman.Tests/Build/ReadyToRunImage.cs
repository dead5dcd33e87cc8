using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Procman.Tests.Build;

/// <summary>Reads whether an assembly file carries ReadyToRun code, and for which machine.</summary>
internal static class ReadyToRunImage
{
    // READYTORUN_HEADER.Signature, "RTR" (docs/design/coreclr/botr/readytorun-format.md in dotnet/runtime).
    private const uint Signature = 0x00525452;

    // A ReadyToRun image built for Linux stores its machine XOR-ed with this constant, so that Windows' loader
    // never maps it as native code (IMAGE_FILE_MACHINE_NATIVE_OS_OVERRIDE, src/coreclr/inc/pedecoder.h in dotnet/runtime).
    private const ushort LinuxMachineOverride = 0x7B79;

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

    /// <summary>True when the image's native code is for Linux on the architecture this process runs on.</summary>
    public static bool IsForThisMachine(string path)
    {
        using var reader = new PEReader(File.OpenRead(path));
        var machine = (Machine)((ushort)reader.PEHeaders.CoffHeader.Machine ^ LinuxMachineOverride);
        return machine == RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => Machine.Amd64,
            Architecture.Arm64 => Machine.Arm64,
            Architecture.X86 => Machine.I386,
            Architecture.Arm => Machine.ArmThumb2,
            var other => throw new PlatformNotSupportedException($"no ReadyToRun machine known for {other}"),
        };
    }
}
