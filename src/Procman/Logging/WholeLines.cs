using System.Text;

namespace Procman.Logging;

/// <summary>
/// Text written to procman's stdout or stderr in one write(2) each. During an upgrade (SIGUSR2) two masters
/// share the same stdout and stderr; the console's writers flush every 256 characters, so their lines would
/// interleave mid-line. One write of at most PIPE_BUF (4096) bytes to a pipe is atomic, and a longer one still
/// arrives whole unless the other master writes at that very moment.
/// </summary>
internal static class WholeLines
{
    private static readonly Stream Stdout = Console.OpenStandardOutput();
    private static readonly Stream Stderr = Console.OpenStandardError();

    public static void Write(bool toStderr, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        // Console.Out and Console.Error are synchronized on themselves: taking the same lock keeps anything else
        // written through them whole too.
        var writer = toStderr ? Console.Error : Console.Out;
        lock (writer)
        {
            try
            {
                (toStderr ? Stderr : Stdout).Write(bytes);
            }
            catch (IOException)
            {
                // The stream is closed (its reader went away): the line has nowhere to go, and serving goes on.
            }
        }
    }
}
