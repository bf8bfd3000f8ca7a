using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// JSON protocol timestamps: AWS sends seconds since the epoch with a fraction
/// (<c>1700000000.123</c>); ISO 8601 strings are accepted too, as some emulators send them.
/// </summary>
public sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(reader.GetDouble() * TimeSpan.TicksPerSecond)),
            JsonTokenType.String => Parse(reader.GetString()!),
            _ => throw new JsonException($"a timestamp cannot be {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Math.Round((value - DateTimeOffset.UnixEpoch).TotalSeconds, 3));

    private static DateTimeOffset Parse(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond))
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
