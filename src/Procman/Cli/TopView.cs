using System.Globalization;
using Procman.Control;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Procman.Cli;

/// <summary>One frame of <c>procman top</c>, from one snapshot: pure, so a test renders it without a terminal.</summary>
internal static class TopView
{
    private static readonly string[] Columns = ["slot", "pid", "gen", "state", "uptime", "req/s", "requests", "in flight", "keep-alive", "PSS", "RSS", "GC heap", "probe", "restarts", "last exit"];

    public static IRenderable Render(MasterSnapshot status, string socket)
    {
        var header = new Markup(string.Create(CultureInfo.InvariantCulture,
            $"[bold]procman[/] pid {status.Pid}  [bold]{Markup.Escape(status.State)}[/]  generation {status.Generation}  up {StatusTable.Duration(status.UptimeSeconds)}  " +
            $"{status.CountIn("ready")}/{status.TargetWorkers} ready  {Total(status):0.0} req/s  PSS {StatusTable.Bytes(status.Workers.Sum(w => w.PssBytes ?? 0))}  " +
            $"reloads {status.Reloads.Completed} ok, {status.Reloads.Failed} failed"));
        var table = new Table().Border(TableBorder.Simple).Expand();
        foreach (var column in Columns)
        {
            table.AddColumn(new TableColumn(column) { Alignment = column is "state" or "last exit" ? Justify.Left : Justify.Right });
        }
        foreach (var worker in status.Workers)
        {
            table.AddRow(
                Cell(worker.Slot), Cell(worker.Pid), Cell(worker.Generation), State(worker.State),
                new Text(StatusTable.Duration(worker.UptimeSeconds)),
                new Text(worker.RequestsPerSecond?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"),
                Cell(worker.Requests), Cell(worker.InFlight), Cell(worker.KeepAliveConnections),
                new Text(StatusTable.Bytes(worker.PssBytes)), new Text(StatusTable.Bytes(worker.RssBytes)), new Text(StatusTable.Bytes(worker.GcHeapBytes)),
                new Text(worker.ProbeDelaySeconds is { } delay ? $"{(delay * 1000).ToString("0", CultureInfo.InvariantCulture)} ms" : "-"),
                Cell(worker.Restarts), new Text(worker.LastExit ?? "-"));
        }
        var footer = new Markup($"[grey]{Markup.Escape(socket)}  q or Ctrl+C to quit[/]");
        return new Rows(header, table, footer);
    }

    /// <summary>What top shows while the master does not answer: it keeps trying, as top does when a process is gone.</summary>
    public static IRenderable Unavailable(string problem) => new Markup($"[red]{Markup.Escape(problem)}[/]\n[grey]retrying every second; q or Ctrl+C to quit[/]");

    private static double Total(MasterSnapshot status) => status.Workers.Sum(worker => worker.RequestsPerSecond ?? 0);

    private static Text Cell(long? value) => new(value?.ToString(CultureInfo.InvariantCulture) ?? "-");

    private static Markup State(string state) => new(state switch
    {
        "ready" => "[green]ready[/]",
        "starting" => "[yellow]starting[/]",
        "draining" => "[grey]draining[/]",
        "killing" => "[red]killing[/]",
        "stopping" => "[grey]stopping[/]",
        _ => Markup.Escape(state),
    });
}
