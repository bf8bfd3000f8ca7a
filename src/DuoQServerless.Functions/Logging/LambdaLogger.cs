using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DuoQServerless.Functions.Logging;

/// <summary>
/// Structured logs: one JSON object per line on stdout with timestamp (ISO 8601 UTC), level,
/// requestId, message and the caller's fields, which is what Lambda's JSON log format and
/// CloudWatch Logs Insights read (<c>fields findingId | filter level = "ERROR"</c>).
/// Written with Utf8JsonWriter, so it is AOT-safe, and it never throws into the caller.
/// </summary>
public sealed class LambdaLogger
{
    internal const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal) { "timestamp", "level", "requestId", "message" };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The lines go to CloudWatch, never into HTML: keep quotes, '<' and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly LineSink _sink;
    private readonly TimeProvider _clock;

    public LambdaLogger(Stream output, LogLevel minimumLevel, TimeProvider clock)
        : this(new LineSink(output), minimumLevel, clock, requestId: null)
    {
    }

    private LambdaLogger(LineSink sink, LogLevel minimumLevel, TimeProvider clock, string? requestId)
    {
        _sink = sink;
        _clock = clock;
        MinimumLevel = minimumLevel;
        RequestId = requestId;
    }

    public LogLevel MinimumLevel { get; }

    /// <summary>The invocation every line of this logger belongs to; null during init.</summary>
    public string? RequestId { get; }

    /// <summary>A logger whose lines carry this invocation's request id, writing to the same output.</summary>
    public LambdaLogger ForRequest(string requestId) => new(_sink, MinimumLevel, _clock, requestId);

    public bool IsEnabled(LogLevel level) => level >= MinimumLevel;

    public void Trace(string message, params ReadOnlySpan<(string Name, object? Value)> fields) => Log(LogLevel.Trace, message, fields);

    public void Debug(string message, params ReadOnlySpan<(string Name, object? Value)> fields) => Log(LogLevel.Debug, message, fields);

    public void Info(string message, params ReadOnlySpan<(string Name, object? Value)> fields) => Log(LogLevel.Info, message, fields);

    public void Warn(string message, params ReadOnlySpan<(string Name, object? Value)> fields) => Log(LogLevel.Warn, message, fields);

    public void Error(string message, params ReadOnlySpan<(string Name, object? Value)> fields) => Log(LogLevel.Error, message, fields);

    public void Fatal(string message, params ReadOnlySpan<(string Name, object? Value)> fields) => Log(LogLevel.Fatal, message, fields);

    public void Log(LogLevel level, string message, params ReadOnlySpan<(string Name, object? Value)> fields)
    {
        if (!IsEnabled(level)) return;
        var line = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(line, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", _clock.GetUtcNow().UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture));
            writer.WriteString("level", level.Name());
            if (RequestId is not null) writer.WriteString("requestId", RequestId);
            writer.WriteString("message", message);
            foreach (var (name, value) in fields)
            {
                // A second "message" or "level" key would make the line ambiguous to Logs Insights.
                writer.WritePropertyName(ReservedNames.Contains(name) ? "field_" + name : name);
                WriteValue(writer, value);
            }
            writer.WriteEndObject();
        }
        _sink.WriteLine(line.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string text: writer.WriteStringValue(text); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case int number: writer.WriteNumberValue(number); break;
            case long number: writer.WriteNumberValue(number); break;
            case double number when double.IsFinite(number): writer.WriteNumberValue(number); break;
            case decimal number: writer.WriteNumberValue(number); break;
            case DateTimeOffset time: writer.WriteStringValue(time.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture)); break;
            case JsonElement element: element.WriteTo(writer); break;
            case IEnumerable<string> texts:
                writer.WriteStartArray();
                foreach (var text in texts) writer.WriteStringValue(text);
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>Whole lines only, one writer at a time, flushed at once so a crash loses nothing.</summary>
    private sealed class LineSink(Stream output)
    {
        private readonly Lock _gate = new();

        public void WriteLine(ReadOnlySpan<byte> json)
        {
            lock (_gate)
            {
                try
                {
                    output.Write(json);
                    output.WriteByte((byte)'\n');
                    output.Flush();
                }
                // A closed or broken stdout must not fail the invocation that was only logging.
                catch (IOException)
                {
                }
                // Same for a stream disposed at process exit while a late line is written.
                catch (ObjectDisposedException)
                {
                }
            }
        }
    }
}
