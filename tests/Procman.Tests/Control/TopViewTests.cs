using Procman.Cli;
using Spectre.Console;

namespace Procman.Tests.Control;

public sealed class TopViewTests
{
    [Fact]
    public void AFrame_ShowsTheMasterAndOneRowPerWorker()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;

        console.Write(TopView.Render(ControlProtocolTests.Sample, "/run/procman/api.ctl"));

        var lines = output.ToString().Split('\n');
        Assert.StartsWith("procman pid 100  running  generation 2  up 1h02m  1/2 ready  12.5 req/s  PSS 20.0M", lines[0]);
        Assert.Matches(@"^\s*1\s+101\s+2\s+ready\s+1m05s\s+12\.5\s+1200\s+-\s+3\s+20\.0M\s+60\.0M\s+-\s+-\s+1\s+exit code 0 \(reload\)", Assert.Single(lines, line => line.Contains(" 101 ", StringComparison.Ordinal)));
        Assert.Single(lines, line => line.Contains(" 102 ", StringComparison.Ordinal) && line.Contains("starting", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("q or Ctrl+C to quit", StringComparison.Ordinal));
    }
}
