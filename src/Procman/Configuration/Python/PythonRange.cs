namespace Procman.Configuration.Python;

/// <summary>A range, iterated lazily so <c>range(10**9)</c> costs nothing until something walks it.</summary>
internal sealed record PythonRange(long Start, long Stop, long Step)
{
    public long Count => Step > 0
        ? Math.Max(0, ((Stop - Start) + Step - 1) / Step)
        : Math.Max(0, ((Start - Stop) - Step - 1) / -Step);

    public IEnumerable<object?> Items()
    {
        for (var value = Start; Step > 0 ? value < Stop : value > Stop; value += Step)
        {
            yield return value;
        }
    }
}
