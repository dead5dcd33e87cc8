using Procman.Configuration.Python;

namespace Procman.Configuration;

/// <summary>Reads a config file as Python reads source: UTF-8, with an optional byte order mark, and nothing decoded by guess.</summary>
internal static class ConfigFileText
{
    /// <exception cref="ProcmanException">The file cannot be read.</exception>
    /// <exception cref="ConfigSyntaxException">The file is not UTF-8; the message says where.</exception>
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

        return PythonConfigEvaluator.Decode(bytes, path);
    }
}
