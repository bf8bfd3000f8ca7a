using System.Buffers;
using System.Text.Json;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Functions.Handlers;

/// <summary>
/// Proves the path end to end: answers <c>{"requestId","event","deadlineMs","remainingMs"}</c>,
/// so a caller sees its own event come back with what Lambda told the runtime. Every event
/// this application receives is a JSON object; anything else is refused like a guard would.
/// </summary>
public sealed class PingHandler : ILambdaHandler
{
    public const string Name = "ping";

    public Task<byte[]> HandleAsync(JsonElement @event, LambdaContext context, CancellationToken cancellationToken)
    {
        if (@event.ValueKind != JsonValueKind.Object)
            throw new InvalidEventException($"ping takes a JSON object event, not {@event.ValueKind.ToString().ToLowerInvariant()}");

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("requestId", context.RequestId);
            writer.WritePropertyName("event");
            @event.WriteTo(writer);
            writer.WriteNumber("deadlineMs", context.Deadline.ToUnixTimeMilliseconds());
            writer.WriteNumber("remainingMs", (long)context.RemainingTime.TotalMilliseconds);
            writer.WriteEndObject();
        }
        context.Logger.Debug("Ping answered", ("eventProperties", @event.EnumerateObject().Count()));
        return Task.FromResult(buffer.WrittenSpan.ToArray());
    }
}
