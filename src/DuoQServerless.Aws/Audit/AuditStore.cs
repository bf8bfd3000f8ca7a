using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DuoQServerless.Aws.Guards;
using DuoQServerless.Core.Audit;

namespace DuoQServerless.Aws.Audit;

/// <summary>
/// The audit table: a few operations, one conditional write per state change. EventBridge
/// delivers at least once; the conditional put in <see cref="TryBeginAsync"/> is what makes a
/// second delivery of the same event act no more. An item left InProgress by a guard that died
/// mid-act is taken over once its lock expires, so a crash never loses a finding.
/// </summary>
public sealed class AuditStore(IAmazonDynamoDB dynamo, string tableName, AuditStoreOptions? options = null)
{
    private readonly AuditStoreOptions _options = options ?? new AuditStoreOptions();

    /// <summary>The table, for stores that keep other items in it (<see cref="TrustPolicyStore"/>).</summary>
    public string TableName => tableName;

    public async Task<BeginOutcome> TryBeginAsync(AuditEntry entry, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var item = AuditItem.From(entry with { State = AuditState.InProgress, CreatedAt = now, UpdatedAt = now });
        item[AuditItem.LockedUntil] = Number(now + _options.InProgressLock);
        item[AuditItem.ExpiresAt] = Number(now + _options.Retention);
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = item,
                ConditionExpression = "attribute_not_exists(id) OR (#state = :inProgress AND #lockedUntil < :now)",
                ExpressionAttributeNames = new() { ["#state"] = AuditItem.State, ["#lockedUntil"] = AuditItem.LockedUntil },
                ExpressionAttributeValues = new()
                {
                    [":inProgress"] = new AttributeValue { S = nameof(AuditState.InProgress) },
                    [":now"] = Number(now),
                },
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            }, cancellationToken);
            return new BeginOutcome.Taken();
        }
        // The condition failed: an earlier delivery holds or finished this finding. DynamoDB answers
        // the item that is there (ALL_OLD), so no read is needed and the guards' roles grant none.
        catch (ConditionalCheckFailedException e)
        {
            return new BeginOutcome.AlreadyRecorded(AuditItem.ToEntry(e.Item is { Count: > 0 } ? e.Item : item));
        }
        // Throttled past the SDK's retries, refused or unreachable: no SDK type leaves the store.
        catch (Exception e) when (AwsErrors.Translate(e, cancellationToken) is { } failed)
        {
            throw new AuditUnavailableException(tableName, "record", entry.Id, failed);
        }
    }

    /// <summary>Records how the finding ended: what was done and its result.</summary>
    public async Task FinishAsync(string id, AuditState state, string action, string result, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = new() { [AuditItem.Id] = new AttributeValue { S = id } },
                ConditionExpression = "attribute_exists(id)",
                UpdateExpression = "SET #state = :state, #action = :action, #result = :result, #updatedAt = :now REMOVE #lockedUntil",
                ExpressionAttributeNames = new()
                {
                    ["#state"] = AuditItem.State,
                    ["#action"] = AuditItem.Action,
                    ["#result"] = AuditItem.Result,
                    ["#updatedAt"] = AuditItem.UpdatedAt,
                    ["#lockedUntil"] = AuditItem.LockedUntil,
                },
                ExpressionAttributeValues = new()
                {
                    [":state"] = new AttributeValue { S = state.ToString() },
                    [":action"] = new AttributeValue { S = action },
                    [":result"] = new AttributeValue { S = result },
                    [":now"] = new AttributeValue { S = AuditItem.Timestamp(now) },
                },
            }, cancellationToken);
        }
        // As in TryBeginAsync: the caller decides what an unfinished record means.
        catch (Exception e) when (AwsErrors.Translate(e, cancellationToken) is { } failed)
        {
            throw new AuditUnavailableException(tableName, "finish", id, failed);
        }
    }

    public async Task<AuditEntry?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await GetItemAsync(id, cancellationToken) is { } item ? AuditItem.ToEntry(item) : null;

    /// <summary>Every finding recorded at or after <paramref name="since"/>, page by page.</summary>
    public async IAsyncEnumerable<AuditEntry> ListSinceAsync(DateTimeOffset since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest
            {
                TableName = tableName,
                FilterExpression = "#createdAt >= :since AND attribute_exists(#risk)",
                ExpressionAttributeNames = new() { ["#createdAt"] = AuditItem.CreatedAt, ["#risk"] = AuditItem.Risk },
                ExpressionAttributeValues = new() { [":since"] = new AttributeValue { S = AuditItem.Timestamp(since) } },
                ExclusiveStartKey = startKey,
            }, cancellationToken);
            foreach (var item in page.Items ?? []) yield return AuditItem.ToEntry(item);
            startKey = page.LastEvaluatedKey is { Count: > 0 } key ? key : null;
        } while (startKey is not null);
    }

    private async Task<Dictionary<string, AttributeValue>?> GetItemAsync(string id, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = new() { [AuditItem.Id] = new AttributeValue { S = id } },
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private static AttributeValue Number(DateTimeOffset time) =>
        new() { N = time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) };
}

/// <summary>The audit table could not record a finding (throttled past retries, refused, unreachable).
/// A guard fails its invocation on it, so Lambda retries the event and then dead-letters it.</summary>
public sealed class AuditUnavailableException(string table, string step, string findingId, AwsCallException error)
    : Exception($"The audit table {table} could not {step} finding {findingId}: {error.Message}", error)
{
    public string FindingId { get; } = findingId;

    /// <summary>AWS's error code (ProvisionedThroughputExceededException, NetworkError...).</summary>
    public string Code { get; } = error.Code;
}

public sealed record AuditStoreOptions
{
    /// <summary>How long a guard may hold a finding before another delivery may take it over.</summary>
    public TimeSpan InProgressLock { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long items are kept before DynamoDB's TTL removes them.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(400);
}

/// <summary>The table as template.yaml declares it, for emulators where no stack exists.</summary>
public static class AuditTable
{
    public static async Task EnsureExistsAsync(IAmazonDynamoDB dynamo, string tableName, CancellationToken cancellationToken = default)
    {
        try
        {
            await dynamo.CreateTableAsync(new CreateTableRequest
            {
                TableName = tableName,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                AttributeDefinitions = [new AttributeDefinition(AuditItem.Id, ScalarAttributeType.S)],
                KeySchema = [new KeySchemaElement(AuditItem.Id, KeyType.HASH)],
            }, cancellationToken);
        }
        // Already there: nothing to create.
        catch (ResourceInUseException)
        {
        }
    }
}
