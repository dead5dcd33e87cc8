using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Procman.Configuration;

/// <summary>Reads a config file as Python reads source: UTF-8, with an optional byte order mark, and nothing decoded by guess.</summary>
internal static class ConfigFileText
{
    /// <exception cref="ProcmanException">The file cannot be read, or is not UTF-8; the message says which and where.</exception>
    public static string Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (UnauthorizedAccessException)
        {
            throw new ProcmanException($"config file '{path}' cannot be read: permission denied; make it readable by the user procman runs as", ExitCodes.UsageError);
        }
        catch (IOException ex)
        {
            throw new ProcmanException($"config file '{path}' cannot be read: {ex.Message.TrimEnd('.')}", ExitCodes.UsageError);
        }

        ReadOnlySpan<byte> text = bytes;
        if (text.StartsWith(Encoding.UTF8.Preamble))
        {
            text = text[Encoding.UTF8.Preamble.Length..];
        }
        var chars = new char[text.Length];
        // A decoder that replaced bad bytes with U+FFFD would let a Latin-1 file load with altered strings.
        if (Utf8.ToUtf16(text, chars, out var read, out var written, replaceInvalidSequences: false) == OperationStatus.InvalidData)
        {
            var line = 1 + text[..read].Count((byte)'\n');
            throw new ProcmanException(
                $"{path}:{line}: the file is not UTF-8 (byte 0x{text[read]:X2}); save it as UTF-8, as Python and Gunicorn read it",
                ExitCodes.UsageError);
        }
        return new string(chars, 0, written);
    }
}
