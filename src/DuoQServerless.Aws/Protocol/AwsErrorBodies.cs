using System.Net;
using System.Text.Json;
using System.Xml;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// Turns an error answer into <see cref="AwsApiException"/>. The code comes from the body
/// (XML <c>&lt;Error&gt;&lt;Code&gt;</c> or JSON <c>__type</c>), then the <c>X-Amzn-ErrorType</c>
/// header, then the HTTP status. A JSON service's answer is also read as XML when it is not
/// JSON: authentication errors in front of some services (and in moto) come back as XML.
/// </summary>
internal static class AwsErrorBodies
{
    private sealed record Parsed(string? Code, string? Message, string? RequestId);

    public static AwsApiException FromXml(AwsService service, string operation, AwsHttpResponse response) =>
        Build(service, operation, response, ReadXml(response.Body));

    public static AwsApiException FromJson(AwsService service, string operation, AwsHttpResponse response) =>
        Build(service, operation, response, ReadJson(response.Body) ?? ReadXml(response.Body));

    /// <summary>Smithy's rule: drop anything after ':' and anything up to '#' (<c>ns#Code:http://…</c> is <c>Code</c>).</summary>
    public static string? CodeFromType(string? errorType)
    {
        if (string.IsNullOrWhiteSpace(errorType)) return null;
        var code = errorType;
        var colon = code.IndexOf(':');
        if (colon >= 0) code = code[..colon];
        var hash = code.IndexOf('#');
        if (hash >= 0) code = code[(hash + 1)..];
        return code.Length == 0 ? null : code;
    }

    private static AwsApiException Build(AwsService service, string operation, AwsHttpResponse response, Parsed? parsed) =>
        new(
            service.SigningName,
            operation,
            CodeFromType(parsed?.Code) ?? CodeFromType(response.ErrorType) ?? StatusCode(response.StatusCode),
            parsed?.Message ?? string.Empty,
            response.StatusCode,
            response.RequestId ?? parsed?.RequestId);

    // AWS answers <ErrorResponse><Error><Code>; moto's authentication errors add an <Errors>
    // level, so the first Error element holding a Code is taken.
    private static Parsed? ReadXml(byte[] body)
    {
        try
        {
            var root = QueryXml.Parse(body);
            var error = root.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == "Error" && e.Child("Code") is not null);
            var requestId = root.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName is "RequestId" or "RequestID")?.Value;
            return new Parsed(error?.Text("Code"), error?.Text("Message"), requestId);
        }
        // A proxy or load balancer may answer with HTML or nothing at all: then the header and
        // the status code are all there is to go on.
        catch (XmlException)
        {
            return null;
        }
    }

    private static Parsed? ReadJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            string? type = null, message = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String) continue;
                if (property.NameEquals("__type") || property.NameEquals("code")) type ??= property.Value.GetString();
                else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase)) message ??= property.Value.GetString();
            }
            return new Parsed(type, message, null);
        }
        // Not JSON: the caller tries XML next.
        catch (JsonException)
        {
            return null;
        }
    }

    private static string StatusCode(HttpStatusCode status) =>
        Enum.IsDefined(status) ? status.ToString() : $"Http{(int)status}";
}
