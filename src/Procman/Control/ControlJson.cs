using System.Text.Json.Serialization;

namespace Procman.Control;

/// <summary>The control protocol's JSON: snake_case names, one object per line; status --json and /status write the same.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
[JsonSerializable(typeof(MasterSnapshot))]
internal sealed partial class ControlJson : JsonSerializerContext;
