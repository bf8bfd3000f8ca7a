using System.Text;

namespace DuoQServerless.Core.Approval;

/// <summary>API Gateway HTTP API event, payload format 2.0: the parts the approval callback reads.</summary>
public sealed record HttpApiRequest
{
    public string? RawPath { get; init; }
    public string? RawQueryString { get; init; }
    public Dictionary<string, string>? Headers { get; init; }
    public Dictionary<string, string>? QueryStringParameters { get; init; }
    public Dictionary<string, string>? PathParameters { get; init; }
    public HttpApiRequestContext? RequestContext { get; init; }
    public string? Body { get; init; }
    public bool IsBase64Encoded { get; init; }

    /// <summary>The callback's view of this event: method, {id}, query, posted form, caller address.</summary>
    public CallbackRequest ToCallbackRequest() => new()
    {
        Method = RequestContext?.Http?.Method ?? "GET",
        ApprovalId = PathParameters?.GetValueOrDefault("id"),
        Query = QueryStringParameters ?? [],
        Form = FormFields.Parse(IsBase64Encoded && Body is not null ? DecodeBase64(Body) : Body),
        SourceIp = RequestContext?.Http?.SourceIp,
        UserAgent = RequestContext?.Http?.UserAgent,
    };

    private static string DecodeBase64(string body)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(body));
        }
        // API Gateway sends valid base64 when it says so; anything else is treated as no form at all.
        catch (FormatException)
        {
            return "";
        }
    }
}

public sealed record HttpApiRequestContext
{
    public HttpApiHttp? Http { get; init; }
}

public sealed record HttpApiHttp
{
    public string? Method { get; init; }
    public string? Path { get; init; }
    public string? SourceIp { get; init; }
    public string? UserAgent { get; init; }
}

/// <summary>The HTTP API (payload 2.0) response the callback function returns.</summary>
public sealed record HttpApiResponse
{
    public required int StatusCode { get; init; }
    public required Dictionary<string, string> Headers { get; init; }
    public required string Body { get; init; }
    public bool IsBase64Encoded { get; init; }

    public static HttpApiResponse From(CallbackResponse response) => new()
    {
        StatusCode = response.StatusCode,
        Headers = new Dictionary<string, string>(response.Headers),
        Body = response.Body,
    };
}

/// <summary>application/x-www-form-urlencoded, as a browser posts the confirmation form.</summary>
public static class FormFields
{
    public static IReadOnlyDictionary<string, string> Parse(string? body)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(body)) return fields;
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            fields.TryAdd(name, value);
        }
        return fields;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}

/// <summary>An SQS event as Lambda delivers it: the parts the request-approval function reads.</summary>
public sealed record SqsEvent
{
    [System.Text.Json.Serialization.JsonPropertyName("Records")]
    public List<SqsMessage> Records { get; init; } = [];
}

public sealed record SqsMessage
{
    public required string MessageId { get; init; }
    public required string Body { get; init; }
}

/// <summary>SQS partial batch response (the event source mapping has ReportBatchItemFailures on).</summary>
public sealed record SqsBatchResponse
{
    public List<SqsBatchItemFailure> BatchItemFailures { get; init; } = [];
}

public sealed record SqsBatchItemFailure(string ItemIdentifier);
