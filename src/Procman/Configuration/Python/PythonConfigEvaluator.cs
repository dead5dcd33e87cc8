using System.Text;

namespace Procman.Configuration.Python;

/// <summary>
/// Evaluates the subset of Python that Gunicorn config files use, without running Python: lexing, then
/// parsing into a syntax tree, then evaluation of that tree. Hooks are recorded, never run.
/// </summary>
internal sealed class PythonConfigEvaluator
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IEnvironment _environment;
    private readonly int _cpuCount;

    public PythonConfigEvaluator(IEnvironment environment, int cpuCount)
    {
        _environment = environment;
        _cpuCount = cpuCount;
    }

    /// <summary>
    /// Decodes a config file's bytes as UTF-8 (Python's default for source files), refusing invalid bytes
    /// instead of replacing them, which would silently change a setting's value.
    /// </summary>
    public static string Decode(byte[] bytes, string fileName)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            var offset = InvalidOffset(bytes);
            var line = 1 + bytes.Take(offset).Count(b => b == (byte)'\n');
            throw new ConfigSyntaxException(fileName, line, 1 + offset - (Array.LastIndexOf(bytes, (byte)'\n', Math.Max(offset - 1, 0)) + 1),
                $"the file is not valid UTF-8 (byte 0x{bytes[offset]:X2} at offset {offset})", "", "save the file as UTF-8");
        }
    }

    /// <summary>Evaluates the whole file; throws <see cref="ConfigSyntaxException"/> listing every error it found.</summary>
    public ConfigModule Evaluate(string source, string fileName)
    {
        var text = new PythonSource(source.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal), fileName);
        var errors = new List<ConfigSyntaxException>();
        var module = new PythonParser(text).ParseModule(errors);
        if (errors.Count > 0)
        {
            throw new ConfigSyntaxException(errors);
        }
        var interpreter = new ConfigInterpreter(text, _environment, _cpuCount);
        var result = interpreter.Run(module);
        if (interpreter.Errors.Count > 0)
        {
            throw new ConfigSyntaxException(interpreter.Errors.OrderBy(error => error.Line).ThenBy(error => error.Column).ToList());
        }
        return result;
    }

    private static int InvalidOffset(byte[] bytes)
    {
        // Stops at the first byte that does not start or continue a valid sequence, and says how far it got.
        System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var valid, out _, replaceInvalidSequences: false);
        return Math.Min(valid, bytes.Length - 1);
    }
}
