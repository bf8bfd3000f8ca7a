using System.Buffers;
using System.Text.Json;

namespace DuoQServerless.Functions.Runtime;

/// <summary>
/// The one shape of every error sent to the Runtime API, /error and /init/error alike:
/// <c>{"errorMessage","errorType","stackTrace":[...]}</c> with errorType the exception's type
/// name. The body never exceeds <see cref="MaxBodyBytes"/>; a larger report is replaced by a
/// fixed one that keeps the type (the full exception is in the function's log).
/// </summary>
public sealed record ErrorReport(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    public const int MaxBodyBytes = 256 * 1024;
    public const string TooLargeMessage = "The error report exceeded 256 KB; the full exception is in the function's log.";
    private const int MaxInnerExceptions = 8;

    public static ErrorReport From(Exception exception)
    {
        var stack = new List<string>();
        AddFrames(stack, exception);
        var inner = exception.InnerException;
        for (var depth = 0; inner is not null && depth < MaxInnerExceptions; depth++, inner = inner.InnerException)
        {
            stack.Add($"--- caused by {inner.GetType().Name}: {inner.Message}");
            AddFrames(stack, inner);
        }
        return new ErrorReport(exception.GetType().Name, exception.Message, stack);
    }

    /// <summary>The UTF-8 JSON body, at most <see cref="MaxBodyBytes"/> long.</summary>
    public byte[] ToJson()
    {
        var body = Write(ErrorType, ErrorMessage, StackTrace);
        // A type name is short; the message and stack are what can grow without bound.
        return body.Length <= MaxBodyBytes ? body : Write(Truncate(ErrorType, 1024), TooLargeMessage, []);
    }

    private static void AddFrames(List<string> stack, Exception exception)
    {
        if (exception.StackTrace is not { } trace) return;
        foreach (var line in trace.Split('\n'))
        {
            var frame = line.Trim();
            if (frame.Length > 0) stack.Add(frame);
        }
    }

    private static byte[] Write(string errorType, string errorMessage, IReadOnlyList<string> stackTrace)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", errorMessage);
            writer.WriteString("errorType", errorType);
            writer.WriteStartArray("stackTrace");
            foreach (var frame in stackTrace) writer.WriteStringValue(frame);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
