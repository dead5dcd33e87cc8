using Procman.Workers;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Procman.Tests.Logging;

public sealed class JsonLineTests
{
    [Theory]
    [InlineData("info: Microsoft.Hosting.Lifetime[14]")]
    [InlineData("      Now listening on: http://[::]:80")]
    [InlineData("{not json}")]
    [InlineData("{\"unterminated\": \"yes\"")]
    [InlineData("[1, 2, 3]")]
    [InlineData("42")]
    [InlineData("")]
    public void ALineThatIsNoJsonObject_StaysALine(string line)
        => Assert.Null(JsonLine.TryRead(line));

    [Fact]
    public void AJsonObject_IsKeptWhole_WithItsKeysNumbersAndNesting()
    {
        var line = JsonLine.TryRead("""  {"Message":"Now listening","State":{"address":"http://[::]:80","":1},"n":12345678901234567890123,"big":1e400,"ok":true,"none":null,"list":[1,"a"]}  """);

        Assert.NotNull(line);
        Assert.Equal(
            """{"Message":"Now listening","State":{"address":"http://[::]:80","":1},"n":12345678901234567890123,"big":"1e400","ok":true,"none":null,"list":[1,"a"]}""",
            Render(line.Value.Value));
    }

    [Theory]
    [InlineData("""{"LogLevel":"Error","Message":"x"}""", LogEventLevel.Error)]
    [InlineData("""{"@l":"Warning","@mt":"x"}""", LogEventLevel.Warning)]
    [InlineData("""{"level":"fatal","msg":"x"}""", LogEventLevel.Fatal)]
    [InlineData("""{"level":"warn","msg":"x"}""", LogEventLevel.Warning)]
    [InlineData("""{"LogLevel":"Debug","Message":"x"}""", LogEventLevel.Information)]
    [InlineData("""{"@mt":"x"}""", LogEventLevel.Information)]
    [InlineData("""{"level":7}""", LogEventLevel.Information)]
    public void TheLevelItNames_IsKept_ButNeverBelowInformation(string text, LogEventLevel expected)
        => Assert.Equal(expected, JsonLine.TryRead(text)!.Value.Level);

    [Fact]
    public void AnObjectNestedBeyondTheParsersDepth_StaysALine()
        => Assert.Null(JsonLine.TryRead(string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100)));

    private static string Render(LogEventPropertyValue value)
    {
        using var text = new StringWriter();
        new JsonValueFormatter(typeTagName: null).Format(value, text);
        return text.ToString();
    }
}
