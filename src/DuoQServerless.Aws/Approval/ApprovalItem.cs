using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using DuoQServerless.Core.Approval;

namespace DuoQServerless.Aws.Approval;

/// <summary>
/// An approval as an item of the audit table. Ids are prefixed approval#, and no attribute is
/// named risk, so the audit listing (which filters on risk) never mistakes an approval for a
/// finding. expiresAt is the table's TTL attribute (epoch seconds), as for audit items.
/// </summary>
internal static class ApprovalItem
{
    public const string Prefix = "approval#";
    public const string Id = "id";
    public const string Kind = "kind";
    public const string Status = "approvalStatus";
    public const string TaskToken = "taskToken";
    public const string Deadline = "approvalExpiresAt";
    public const string DecidedBy = "decidedBy";
    public const string DecidedAt = "decidedAt";
    public const string DecidedFromIp = "decidedFromIp";
    public const string DecidedUserAgent = "decidedUserAgent";
    public const string LateDecision = "lateDecision";
    public const string UpdatedAt = "updatedAt";
    public const string TimeToLive = "expiresAt";

    public static string KeyOf(string approvalId) => Prefix + approvalId;

    public static Dictionary<string, AttributeValue> Key(string approvalId) => new() { [Id] = S(KeyOf(approvalId)) };

    public static Dictionary<string, AttributeValue> From(ApprovalRecord record, TimeSpan retention)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Id] = S(KeyOf(record.ApprovalId)),
            [Kind] = S("approval"),
            ["approvalId"] = S(record.ApprovalId),
            [TaskToken] = S(record.TaskToken),
            ["executionArn"] = S(record.ExecutionArn),
            ["guardFunctionArn"] = S(record.GuardFunctionArn),
            ["approvalSummary"] = S(JsonSerializer.Serialize(record.Summary, ApprovalJson.Default.ApprovalSummary)),
            ["finding"] = S(record.FindingJson),
            ["timeoutMeans"] = S(record.TimeoutMeans.ToString()),
            [Status] = S(record.Status.ToString()),
            ["createdAt"] = S(Timestamp(record.CreatedAt)),
            [Deadline] = S(Timestamp(record.ExpiresAt)),
            [UpdatedAt] = S(Timestamp(record.CreatedAt)),
            [TimeToLive] = new AttributeValue { N = (record.ExpiresAt + retention).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
        };
        return item;
    }

    public static ApprovalRecord ToRecord(Dictionary<string, AttributeValue> item) => new()
    {
        ApprovalId = Text(item, "approvalId"),
        TaskToken = Text(item, TaskToken),
        ExecutionArn = Text(item, "executionArn"),
        GuardFunctionArn = Text(item, "guardFunctionArn"),
        Summary = JsonSerializer.Deserialize(Text(item, "approvalSummary"), ApprovalJson.Default.ApprovalSummary)
            ?? throw new InvalidDataException($"approval item {Text(item, Id)} has no summary"),
        FindingJson = Text(item, "finding"),
        TimeoutMeans = Enum.Parse<TimeoutMeans>(Text(item, "timeoutMeans")),
        Status = Enum.Parse<ApprovalStatus>(Text(item, Status)),
        CreatedAt = Time(item, "createdAt") ?? default,
        ExpiresAt = Time(item, Deadline) ?? default,
        DecidedBy = OptionalText(item, DecidedBy),
        DecidedAt = Time(item, DecidedAt),
        DecidedFromIp = OptionalText(item, DecidedFromIp),
        DecidedUserAgent = OptionalText(item, DecidedUserAgent),
        LateDecision = Enum.TryParse<ApprovalDecision>(OptionalText(item, LateDecision), out var late) ? late : null,
    };

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public static AttributeValue S(string value) => new() { S = value };

    private static string? OptionalText(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    private static string Text(Dictionary<string, AttributeValue> item, string name) => OptionalText(item, name) ?? "";

    private static DateTimeOffset? Time(Dictionary<string, AttributeValue> item, string name) =>
        DateTimeOffset.TryParse(OptionalText(item, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
