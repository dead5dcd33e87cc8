using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Procman.Control;

/// <summary>
/// The control protocol's JSON (docs/control.md): one object per line, snake_case names; <c>status --json</c> and
/// /status write the same snapshot. Written with <see cref="Utf8JsonWriter"/> and read from a <see cref="JsonDocument"/>
/// rather than through serializer metadata: a <c>procman status</c> run once a second is a whole process, and
/// building the serializer's metadata for these types cost it more CPU (70 ms) than the rest of its work.
/// </summary>
internal static class ControlCodec
{
    public static string Write(ControlRequest request) => JsonObject(writer =>
    {
        writer.WriteNumber("version", request.Version);
        writer.WriteString("command", request.Command);
        if (request.Wait)
        {
            writer.WriteBoolean("wait", true);
        }
        Optional(writer, "workers", request.Workers);
        Optional(writer, "delta", request.Delta);
        Optional(writer, "slot", request.Slot);
        if (request.All)
        {
            writer.WriteBoolean("all", true);
        }
        if (request.Quick)
        {
            writer.WriteBoolean("quick", true);
        }
        if (request.DumpDir is { } directory)
        {
            writer.WriteString("dump_dir", directory);
        }
    });

    /// <exception cref="JsonException">Not JSON, not an object, or a field of the wrong kind.</exception>
    public static ControlRequest ReadRequest(ReadOnlySpan<byte> line) => Read(line, root => new ControlRequest
    {
        Version = Int(root, "version") ?? ControlRequest.CurrentVersion,
        Command = String(root, "command") ?? throw new JsonException("it has no \"command\""),
        Wait = Bool(root, "wait"),
        Workers = Int(root, "workers"),
        Delta = Int(root, "delta"),
        Slot = Int(root, "slot"),
        All = Bool(root, "all"),
        Quick = Bool(root, "quick"),
        DumpDir = String(root, "dump_dir"),
    });

    public static string Write(ControlResponse response) => JsonObject(writer =>
    {
        writer.WriteNumber("version", response.Version);
        writer.WriteBoolean("ok", response.Ok);
        if (response.Message is { } message)
        {
            writer.WriteString("message", message);
        }
        if (response.Error is { } error)
        {
            writer.WriteString("error", error);
        }
        if (response.Status is { } status)
        {
            writer.WritePropertyName("status");
            WriteSnapshot(writer, status);
        }
        if (response.Dump is { } dump)
        {
            writer.WriteStartObject("dump");
            writer.WriteNumber("slot", dump.Slot);
            writer.WriteNumber("pid", dump.Pid);
            writer.WriteString("stacks", dump.Stacks);
            writer.WriteString("path", dump.Path);
            writer.WriteEndObject();
        }
    });

    /// <exception cref="JsonException">Not JSON, not an object, or a field of the wrong kind.</exception>
    public static ControlResponse ReadResponse(ReadOnlySpan<byte> line) => Read(line, root => new ControlResponse
    {
        Version = Int(root, "version") ?? ControlRequest.CurrentVersion,
        Ok = Bool(root, "ok"),
        Message = String(root, "message"),
        Error = String(root, "error"),
        Status = Field(root, "status") is { } status ? ReadSnapshot(status) : null,
        Dump = Field(root, "dump") is { } dump
            ? new WorkerDump(Int(dump, "slot") ?? 0, Int(dump, "pid") ?? 0, String(dump, "stacks"), String(dump, "path"))
            : null,
    });

    /// <summary>The snapshot alone, as <c>status --json</c> and /status print it.</summary>
    public static string Write(MasterSnapshot status) => Json(writer => WriteSnapshot(writer, status));

    private static void WriteSnapshot(Utf8JsonWriter writer, MasterSnapshot status)
    {
        writer.WriteStartObject();
        writer.WriteNumber("pid", status.Pid);
        writer.WriteString("state", status.State);
        writer.WriteNumber("generation", status.Generation);
        writer.WriteString("started_at", status.StartedAt);
        writer.WriteNumber("uptime_seconds", status.UptimeSeconds);
        writer.WriteNumber("target_workers", status.TargetWorkers);
        writer.WriteStartArray("workers");
        foreach (var worker in status.Workers)
        {
            WriteWorker(writer, worker);
        }
        writer.WriteEndArray();
        writer.WriteStartObject("restarts");
        foreach (var (reason, count) in status.Restarts)
        {
            writer.WriteNumber(reason, count);
        }
        writer.WriteEndObject();
        writer.WriteStartObject("reloads");
        writer.WriteNumber("completed", status.Reloads.Completed);
        writer.WriteNumber("failed", status.Reloads.Failed);
        writer.WriteNumber("refused", status.Reloads.Refused);
        writer.WriteNumber("duration_seconds_sum", status.Reloads.DurationSecondsSum);
        Nullable(writer, "last_duration_seconds", status.Reloads.LastDurationSeconds);
        writer.WriteEndObject();
        writer.WriteNumber("boots", status.Boots);
        writer.WriteNumber("boot_seconds_sum", status.BootSecondsSum);
        writer.WriteEndObject();
    }

    // Every field is written, null when unknown, so that a script always finds the key.
    private static void WriteWorker(Utf8JsonWriter writer, WorkerSnapshot worker)
    {
        writer.WriteStartObject();
        writer.WriteNumber("slot", worker.Slot);
        writer.WriteNumber("pid", worker.Pid);
        writer.WriteNumber("generation", worker.Generation);
        writer.WriteString("state", worker.State);
        writer.WriteNumber("uptime_seconds", worker.UptimeSeconds);
        Nullable(writer, "boot_seconds", worker.BootSeconds);
        writer.WriteNumber("requests", worker.Requests);
        Nullable(writer, "requests_per_second", worker.RequestsPerSecond);
        Nullable(writer, "in_flight", worker.InFlight);
        writer.WriteNumber("keep_alive_connections", worker.KeepAliveConnections);
        Nullable(writer, "rss_bytes", worker.RssBytes);
        Nullable(writer, "pss_bytes", worker.PssBytes);
        Nullable(writer, "gc_heap_bytes", worker.GcHeapBytes);
        Nullable(writer, "thread_pool_threads", worker.ThreadPoolThreads);
        Nullable(writer, "thread_pool_queue", worker.ThreadPoolQueue);
        Nullable(writer, "probe_delay_seconds", worker.ProbeDelaySeconds);
        writer.WriteNumber("restarts", worker.Restarts);
        writer.WriteString("last_exit", worker.LastExit);
        writer.WriteEndObject();
    }

    private static MasterSnapshot ReadSnapshot(JsonElement status)
    {
        var reloads = Field(status, "reloads");
        return new MasterSnapshot
        {
            Pid = Int(status, "pid") ?? 0,
            State = String(status, "state") ?? "",
            Generation = Int(status, "generation") ?? 0,
            StartedAt = Scalar(status, "started_at", JsonValueKind.String, "a date and time", value => Convert(value, "started_at", value.GetDateTimeOffset)) ?? default,
            UptimeSeconds = Double(status, "uptime_seconds") ?? 0,
            TargetWorkers = Int(status, "target_workers") ?? 0,
            Workers = Present(status, "workers") is { } workers ? Elements(workers, "workers").Select(ReadWorker).ToArray() : [],
            Restarts = Field(status, "restarts") is { } restarts
                ? restarts.EnumerateObject().ToDictionary(member => member.Name, member => Convert(member.Value, member.Name, member.Value.GetInt64))
                : new Dictionary<string, long>(),
            Reloads = reloads is { } counts
                ? new ReloadCounts(Long(counts, "completed") ?? 0, Long(counts, "failed") ?? 0, Long(counts, "refused") ?? 0,
                    Double(counts, "duration_seconds_sum") ?? 0, Double(counts, "last_duration_seconds"))
                : ReloadCounts.None,
            Boots = Long(status, "boots") ?? 0,
            BootSecondsSum = Double(status, "boot_seconds_sum") ?? 0,
        };
    }

    private static WorkerSnapshot ReadWorker(JsonElement worker) => new()
    {
        Slot = Int(worker, "slot") ?? 0,
        Pid = Int(worker, "pid") ?? 0,
        Generation = Int(worker, "generation") ?? 0,
        State = String(worker, "state") ?? "",
        UptimeSeconds = Double(worker, "uptime_seconds") ?? 0,
        BootSeconds = Double(worker, "boot_seconds"),
        Requests = Long(worker, "requests") ?? 0,
        RequestsPerSecond = Double(worker, "requests_per_second"),
        InFlight = Int(worker, "in_flight"),
        KeepAliveConnections = Int(worker, "keep_alive_connections") ?? 0,
        RssBytes = Long(worker, "rss_bytes"),
        PssBytes = Long(worker, "pss_bytes"),
        GcHeapBytes = Long(worker, "gc_heap_bytes"),
        ThreadPoolThreads = Int(worker, "thread_pool_threads"),
        ThreadPoolQueue = Long(worker, "thread_pool_queue"),
        ProbeDelaySeconds = Double(worker, "probe_delay_seconds"),
        Restarts = Int(worker, "restarts") ?? 0,
        LastExit = String(worker, "last_exit"),
    };

    private static string JsonObject(Action<Utf8JsonWriter> members) => Json(writer =>
    {
        writer.WriteStartObject();
        members(writer);
        writer.WriteEndObject();
    });

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static T Read<T>(ReadOnlySpan<byte> line, Func<JsonElement, T> read)
    {
        using var document = JsonDocument.Parse(line.ToArray());
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? read(document.RootElement)
            : throw new JsonException($"expected an object, found {Kind(document.RootElement.ValueKind)}");
    }

    private static void Optional(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void Nullable(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Nullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>The member's value; null when it is missing or JSON null.</summary>
    private static JsonElement? Present(JsonElement parent, string name)
        => parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>The member's object; null when it is missing or JSON null.</summary>
    private static JsonElement? Field(JsonElement parent, string name)
        => Present(parent, name) is { } value
            ? value.ValueKind == JsonValueKind.Object ? value : throw Wrong(name, "an object", value)
            : null;

    private static string? String(JsonElement parent, string name)
        => Present(parent, name) is not { } value ? null
            : value.ValueKind == JsonValueKind.String ? value.GetString()
            : throw Wrong(name, "a string", value);

    private static bool Bool(JsonElement parent, string name)
        => parent.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw Wrong(name, "true or false", value),
        };

    private static int? Int(JsonElement parent, string name) => Scalar(parent, name, JsonValueKind.Number, "a whole number", value => Convert(value, name, value.GetInt32));

    private static long? Long(JsonElement parent, string name) => Scalar(parent, name, JsonValueKind.Number, "a whole number", value => Convert(value, name, value.GetInt64));

    private static double? Double(JsonElement parent, string name) => Scalar(parent, name, JsonValueKind.Number, "a number", value => value.GetDouble());

    private static T? Scalar<T>(JsonElement parent, string name, JsonValueKind kind, string expected, Func<JsonElement, T> read) where T : struct
        => Present(parent, name) is not { } value ? null
            : value.ValueKind == kind ? read(value)
            : throw Wrong(name, expected, value);

    private static T Convert<T>(JsonElement value, string name, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (FormatException)
        {
            throw new JsonException($"\"{name}\" is {value.GetRawText()}, not a valid value for it");
        }
    }

    private static IEnumerable<JsonElement> Elements(JsonElement array, string name)
        => array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : throw Wrong(name, "an array", array);

    private static JsonException Wrong(string name, string expected, JsonElement value)
        => new($"\"{name}\" must be {expected}, not {Kind(value.ValueKind)}");

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };
}
