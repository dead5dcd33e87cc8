namespace Procman.Arbitration;

/// <summary>How a worker process ended.</summary>
/// <param name="Code">The exit status as .NET reports it: 128 + N when the process was killed by signal N.</param>
internal readonly record struct WorkerExit(int Code)
{
    public int? Signal => Code > 128 && Code < 128 + 65 ? Code - 128 : null;

    public override string ToString() => Signal is int signal ? $"killed by {Native.Signal.Name(signal)}" : $"exit code {Code}";
}
