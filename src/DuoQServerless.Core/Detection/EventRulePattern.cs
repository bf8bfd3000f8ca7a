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
    /// <summary>The stack's name prefix as template.yaml writes it (inside <c>!Sub</c>); a deployed
    /// rule holds the real stack name there.</summary>
    public const string TemplateStackPrefix = "${AWS::StackName}-";

    /// <param name="stackPrefix">The resource-name prefix a guard with <see cref="Detector.RuleNameFilters"/>
    /// narrows delivery to: the stack name and a dash.</param>
    public static string For(Detector detector, bool includeFailedCalls = false, string stackPrefix = TemplateStackPrefix)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteList(json, "source", detector.Watched.Select(service => service.EventBridgeSource).Distinct(StringComparer.Ordinal));
            WriteList(json, "detail-type", [CloudTrail.CloudTrailParser.CloudTrailDetailType]);
            json.WriteStartObject("detail");
            WriteList(json, "eventSource", detector.Watched.Select(service => service.EventSource).Distinct(StringComparer.Ordinal));
            WriteList(json, "eventName", detector.EventNames);
            if (!includeFailedCalls)
            {
                json.WriteStartArray("errorCode");
                json.WriteStartObject();
                json.WriteBoolean("exists", false);
                json.WriteEndObject();
                json.WriteEndArray();
            }
            if (detector.RuleNameFilters.Count > 0) WriteNameFilters(json, detector.RuleNameFilters, stackPrefix);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // {"$or": [{"requestParameters": {"name": [{"prefix": P}]}}, ...]}: any one field naming one of the stack's resources.
    private static void WriteNameFilters(Utf8JsonWriter json, IReadOnlyList<RuleNameFilter> filters, string stackPrefix)
    {
        json.WriteStartArray("$or");
        foreach (var filter in filters)
        {
            json.WriteStartObject();
            json.WriteStartObject("requestParameters");
            json.WriteStartArray(filter.Parameter);
            if (filter.BareName)
            {
                json.WriteStartObject();
                json.WriteString("prefix", stackPrefix);
                json.WriteEndObject();
            }
            if (filter.ArnMarker is { } marker)
            {
                json.WriteStartObject();
                json.WriteString("wildcard", $"*{marker}{stackPrefix}*");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
