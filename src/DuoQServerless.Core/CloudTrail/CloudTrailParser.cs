using System.Globalization;
using System.Text.Json;

namespace DuoQServerless.Core.CloudTrail;

/// <summary>
/// Reads an EventBridge "AWS API Call via CloudTrail" event, or a bare CloudTrail record (for
/// <c>duoq replay</c> of records copied from the console). Strict about what the guards need,
/// tolerant of every field they do not read. Never throws on bad input: it answers
/// <see cref="ParseOutcome.Invalid"/> naming the field.
/// </summary>
public static class CloudTrailParser
{
    public const string CloudTrailDetailType = "AWS API Call via CloudTrail";

    public static ParseOutcome Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException error)
        {
            // Malformed text is the caller's input problem, reported as a value, not a crash.
            return new ParseOutcome.Invalid("$", $"not JSON: {error.Message}");
        }
        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    /// <summary>Reads from an element; the record keeps its own copies of the JSON it holds.</summary>
    public static ParseOutcome Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return new ParseOutcome.Invalid("$", "expected a JSON object");

        if (!root.Prop("detail").IsPresent() && !root.Prop("detail-type").IsPresent())
            return ParseRecord(root, "", envelope: null);

        var detailType = root.Str("detail-type");
        if (detailType is null) return Missing("detail-type");
        if (detailType != CloudTrailDetailType)
            return new ParseOutcome.Invalid("detail-type", $"'{detailType}' is not '{CloudTrailDetailType}'");
        var source = root.Str("source");
        if (source is null) return Missing("source");
        var detail = root.Prop("detail");
        if (detail.ValueKind != JsonValueKind.Object)
            return new ParseOutcome.Invalid("detail", detail.IsPresent() ? "expected an object" : "missing");

        var envelope = new EventBridgeEnvelope(root.Str("id"), detailType, source, root.Str("account"), root.Str("region"));
        return ParseRecord(detail, "detail.", envelope);
    }

    private static ParseOutcome ParseRecord(JsonElement detail, string at, EventBridgeEnvelope? envelope)
    {
        string? Required(string name, out ParseOutcome? failure)
        {
            var value = detail.Str(name);
            failure = string.IsNullOrEmpty(value) ? Missing(at + name) : null;
            return value;
        }

        var eventId = Required("eventID", out var failure);
        if (failure is not null) return failure;
        var eventTimeText = Required("eventTime", out failure);
        if (failure is not null) return failure;
        if (!DateTimeOffset.TryParse(eventTimeText, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var eventTime))
            return new ParseOutcome.Invalid(at + "eventTime", $"'{eventTimeText}' is not an ISO 8601 time");
        var eventSource = Required("eventSource", out failure);
        if (failure is not null) return failure;
        var eventName = Required("eventName", out failure);
        if (failure is not null) return failure;
        var awsRegion = Required("awsRegion", out failure);
        if (failure is not null) return failure;

        var identity = detail.Prop("userIdentity");
        if (identity.ValueKind != JsonValueKind.Object)
            return new ParseOutcome.Invalid(at + "userIdentity", identity.IsPresent() ? "expected an object" : "missing");
        var identityType = identity.Str("type");
        if (string.IsNullOrEmpty(identityType)) return Missing(at + "userIdentity.type");

        var userIdentity = new UserIdentity(
            identityType,
            identity.Str("arn"),
            identity.Str("principalId"),
            identity.Str("accountId"),
            identity.Prop("sessionContext").Prop("sessionIssuer").Str("arn"),
            identity.Str("userName"));

        return new ParseOutcome.Parsed(new CloudTrailRecord(
            eventId!,
            eventTime,
            eventSource!,
            eventName!,
            awsRegion!,
            userIdentity,
            detail.Str("sourceIPAddress"),
            detail.Str("userAgent"),
            Keep(detail.Prop("requestParameters")),
            Keep(detail.Prop("responseElements")),
            NullIfEmpty(detail.Str("errorCode")),
            NullIfEmpty(detail.Str("errorMessage")),
            detail.Str("recipientAccountId"),
            envelope));
    }

    // Clone so the record outlives the JsonDocument it was read from.
    private static JsonElement Keep(JsonElement element) => element.IsPresent() ? element.Clone() : default;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static ParseOutcome.Invalid Missing(string field) => new(field, "missing or empty");
}
