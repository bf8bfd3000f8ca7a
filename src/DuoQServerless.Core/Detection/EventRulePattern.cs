using System.Text;
using System.Text.Json;

namespace DuoQServerless.Core.Detection;

/// <summary>
/// The EventBridge event pattern for a guard's rule, built from its declarations so the template
/// and the code cannot disagree. Failed calls are left out by default (<c>errorCode</c> absent):
/// they changed nothing. IAM's CloudTrail events reach EventBridge only in us-east-1.
/// </summary>
public static class EventRulePattern
{
    public static string For(Detector detector, bool includeFailedCalls = false)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteList(json, "source", [detector.EventBridgeSource]);
            WriteList(json, "detail-type", [CloudTrail.CloudTrailParser.CloudTrailDetailType]);
            json.WriteStartObject("detail");
            WriteList(json, "eventSource", [detector.EventSource]);
            WriteList(json, "eventName", detector.EventNames);
            if (!includeFailedCalls)
            {
                json.WriteStartArray("errorCode");
                json.WriteStartObject();
                json.WriteBoolean("exists", false);
                json.WriteEndObject();
                json.WriteEndArray();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
