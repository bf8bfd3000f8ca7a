using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DuoQServerless.Core.Approval;

namespace DuoQServerless.Aws.Approval;

/// <summary>
/// Approvals in the audit table (beside <see cref="Audit.AuditStore"/>, same table, ids
/// approval#&lt;id&gt;). One conditional write per state change: a decision is recorded only while
/// the approval is pending and before its deadline, so two clicks, two people or a click after
/// the timeout can never decide twice.
/// </summary>
public sealed class ApprovalStore(IAmazonDynamoDB dynamo, string tableName, ApprovalStoreOptions? options = null)
{
    private readonly ApprovalStoreOptions _options = options ?? new ApprovalStoreOptions();

    /// <summary>Stores a new pending approval; its id must be new.</summary>
    public async Task CreateAsync(ApprovalRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = ApprovalItem.From(record with { Status = ApprovalStatus.Pending }, _options.Retention),
                ConditionExpression = "attribute_not_exists(id)",
            }, cancellationToken);
        }
        // Ids are 128 random bits: a collision means a caller reused an id, which must not overwrite a token.
        catch (ConditionalCheckFailedException)
        {
            throw new InvalidOperationException($"approval {record.ApprovalId} already exists");
        }
    }

    public async Task<ApprovalRecord?> GetAsync(string approvalId, CancellationToken cancellationToken = default) =>
        await GetItemAsync(approvalId, cancellationToken) is { } item ? ApprovalItem.ToRecord(item) : null;

    /// <summary>Records <paramref name="decision"/> if the approval is still pending and before its deadline.</summary>
    public async Task<DecideOutcome> TryDecideAsync(string approvalId, ApprovalDecision decision, Decider decider, CancellationToken cancellationToken = default)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":pending"] = ApprovalItem.S(nameof(ApprovalStatus.Pending)),
            [":decided"] = ApprovalItem.S(StatusOf(decision).ToString()),
            [":by"] = ApprovalItem.S(decider.Name),
            [":at"] = ApprovalItem.S(ApprovalItem.Timestamp(decider.At)),
        };
        var set = "SET #status = :decided, #by = :by, #at = :at, #updatedAt = :at";
        var names = new Dictionary<string, string>
        {
            ["#status"] = ApprovalItem.Status, ["#by"] = ApprovalItem.DecidedBy, ["#at"] = ApprovalItem.DecidedAt,
            ["#updatedAt"] = ApprovalItem.UpdatedAt, ["#deadline"] = ApprovalItem.Deadline,
        };
        if (decider.SourceIp is { } ip) { set += ", #ip = :ip"; names["#ip"] = ApprovalItem.DecidedFromIp; values[":ip"] = ApprovalItem.S(ip); }
        if (decider.UserAgent is { } ua) { set += ", #ua = :ua"; names["#ua"] = ApprovalItem.DecidedUserAgent; values[":ua"] = ApprovalItem.S(ua); }
        try
        {
            var updated = await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = ApprovalItem.Key(approvalId),
                UpdateExpression = set,
                ConditionExpression = "attribute_exists(id) AND #status = :pending AND #deadline > :at",
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
                ReturnValues = ReturnValue.ALL_NEW,
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            }, cancellationToken);
            return new DecideOutcome.Decided(ApprovalItem.ToRecord(updated.Attributes));
        }
        // The condition failed: say which part, from the item as it stands.
        catch (ConditionalCheckFailedException e)
        {
            var existing = e.Item is { Count: > 0 } ? e.Item : await GetItemAsync(approvalId, cancellationToken);
            if (existing is null) return new DecideOutcome.NotFound();
            var record = ApprovalItem.ToRecord(existing);
            return record.Status == ApprovalStatus.Pending ? new DecideOutcome.PastDeadline(record) : new DecideOutcome.AlreadyDecided(record);
        }
    }

    /// <summary>
    /// The decision <paramref name="decided"/> recorded could not be delivered because the execution
    /// no longer waits: it becomes a late decision, and the approval timed out.
    /// </summary>
    public Task<ApprovalRecord> RecordTooLateAsync(ApprovalRecord decided, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ChangeDecidedAsync(decided, "SET #status = :timedOut, #late = :late, #updatedAt = :now", new()
        {
            [":timedOut"] = ApprovalItem.S(nameof(ApprovalStatus.TimedOut)),
            [":late"] = ApprovalItem.S(LateDecisionOf(decided.Status).ToString()),
            [":now"] = ApprovalItem.S(ApprovalItem.Timestamp(now)),
        }, new() { ["#late"] = ApprovalItem.LateDecision }, cancellationToken);

    /// <summary>The decision <paramref name="decided"/> recorded could not be delivered at all: pending again.</summary>
    public Task<ApprovalRecord> UndoDecisionAsync(ApprovalRecord decided, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ChangeDecidedAsync(decided, "SET #status = :pending, #updatedAt = :now REMOVE #by, #ip, #ua, #at", new()
        {
            [":pending"] = ApprovalItem.S(nameof(ApprovalStatus.Pending)),
            [":now"] = ApprovalItem.S(ApprovalItem.Timestamp(now)),
        }, new() { ["#by"] = ApprovalItem.DecidedBy, ["#ip"] = ApprovalItem.DecidedFromIp, ["#ua"] = ApprovalItem.DecidedUserAgent }, cancellationToken);

    // Changes only the decision this request recorded (same status and decidedAt), never a later one.
    private async Task<ApprovalRecord> ChangeDecidedAsync(ApprovalRecord decided, string update, Dictionary<string, AttributeValue> values, Dictionary<string, string> names, CancellationToken cancellationToken)
    {
        values[":decided"] = ApprovalItem.S(decided.Status.ToString());
        values[":decidedAt"] = ApprovalItem.S(ApprovalItem.Timestamp(decided.DecidedAt ?? throw new ArgumentException("not decided", nameof(decided))));
        names["#status"] = ApprovalItem.Status;
        names["#at"] = ApprovalItem.DecidedAt;
        names["#updatedAt"] = ApprovalItem.UpdatedAt;
        var updated = await dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = tableName,
            Key = ApprovalItem.Key(decided.ApprovalId),
            UpdateExpression = update,
            ConditionExpression = "#status = :decided AND #at = :decidedAt",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
            ReturnValues = ReturnValue.ALL_NEW,
        }, cancellationToken);
        return ApprovalItem.ToRecord(updated.Attributes);
    }

    private async Task<Dictionary<string, AttributeValue>?> GetItemAsync(string approvalId, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = ApprovalItem.Key(approvalId),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private static ApprovalStatus StatusOf(ApprovalDecision decision) => decision switch
    {
        ApprovalDecision.Approve => ApprovalStatus.Approved,
        ApprovalDecision.Reject => ApprovalStatus.Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
    };

    private static ApprovalDecision LateDecisionOf(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Approved => ApprovalDecision.Approve,
        ApprovalStatus.Rejected => ApprovalDecision.Reject,
        ApprovalStatus.Pending or ApprovalStatus.TimedOut => throw new ArgumentException($"a {status} approval holds no decision", nameof(status)),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}

public sealed record ApprovalStoreOptions
{
    /// <summary>How long an approval is kept after its deadline before DynamoDB's TTL removes it.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(400);
}
