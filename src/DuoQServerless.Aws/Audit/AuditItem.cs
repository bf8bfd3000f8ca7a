using System.Globalization;
using Amazon.DynamoDBv2.Model;
using DuoQServerless.Core.Audit;

namespace DuoQServerless.Aws.Audit;

/// <summary>The audit table's attribute names and the mapping of an entry to and from an item.</summary>
internal static class AuditItem
{
    public const string Id = "id";
    public const string Risk = "risk";
    public const string State = "state";
    public const string Action = "action";
    public const string Result = "result";
    public const string CreatedAt = "createdAt";
    public const string UpdatedAt = "updatedAt";
    public const string LockedUntil = "lockedUntil";
    public const string ExpiresAt = "expiresAt";

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public static Dictionary<string, AttributeValue> From(AuditEntry entry)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Id] = S(entry.Id),
            [Risk] = S(entry.Risk),
            ["severity"] = S(entry.Severity),
            ["eventId"] = S(entry.EventId),
            ["eventName"] = S(entry.EventName),
            ["eventTime"] = S(Timestamp(entry.EventTime)),
            ["account"] = S(entry.Account),
            ["region"] = S(entry.Region),
            ["actorArn"] = S(entry.ActorArn),
            ["resource"] = S(entry.Resource),
            ["summary"] = S(entry.Summary),
            ["decision"] = S(entry.Decision),
            ["dryRun"] = new AttributeValue { BOOL = entry.DryRun },
            ["finding"] = S(entry.FindingJson),
            [State] = S(entry.State.ToString()),
            [CreatedAt] = S(Timestamp(entry.CreatedAt)),
            [UpdatedAt] = S(Timestamp(entry.UpdatedAt)),
        };
        // Optional facts are left out rather than stored empty, so a reader sees null.
        if (!string.IsNullOrEmpty(entry.SourceIp)) item["sourceIp"] = S(entry.SourceIp);
        if (!string.IsNullOrEmpty(entry.UserAgent)) item["userAgent"] = S(entry.UserAgent);
        if (!string.IsNullOrEmpty(entry.Action)) item[Action] = S(entry.Action);
        if (!string.IsNullOrEmpty(entry.Result)) item[Result] = S(entry.Result);
        return item;
    }

    public static AuditEntry ToEntry(Dictionary<string, AttributeValue> item) => new()
    {
        Id = Text(item, Id),
        Risk = Text(item, Risk),
        Severity = Text(item, "severity"),
        EventId = Text(item, "eventId"),
        EventName = Text(item, "eventName"),
        EventTime = Time(item, "eventTime"),
        Account = Text(item, "account"),
        Region = Text(item, "region"),
        ActorArn = Text(item, "actorArn"),
        SourceIp = OptionalText(item, "sourceIp"),
        UserAgent = OptionalText(item, "userAgent"),
        Resource = Text(item, "resource"),
        Summary = Text(item, "summary"),
        Decision = Text(item, "decision"),
        DryRun = item.TryGetValue("dryRun", out var dryRun) && dryRun.BOOL == true,
        FindingJson = Text(item, "finding"),
        State = Enum.TryParse<AuditState>(OptionalText(item, State), out var state) ? state : AuditState.InProgress,
        Action = OptionalText(item, Action),
        Result = OptionalText(item, Result),
        CreatedAt = Time(item, CreatedAt),
        UpdatedAt = Time(item, UpdatedAt),
    };

    private static AttributeValue S(string value) => new() { S = value };

    private static string? OptionalText(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    private static string Text(Dictionary<string, AttributeValue> item, string name) => OptionalText(item, name) ?? "";

    private static DateTimeOffset Time(Dictionary<string, AttributeValue> item, string name) =>
        DateTimeOffset.TryParse(OptionalText(item, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : default;
}
