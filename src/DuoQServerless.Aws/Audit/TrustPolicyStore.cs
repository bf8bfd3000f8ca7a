using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.Audit;

/// <summary>A role's trust policy as it was when the validator last found the setup healthy.</summary>
public sealed record KnownGoodTrustPolicy(string RoleName, string Document, DateTimeOffset RecordedAt);

/// <summary>What <see cref="TrustPolicyStore.SaveGoodAsync"/> did.</summary>
public enum TrustPolicySave
{
    Saved,
    /// <summary>A document recorded later than this one was kept (a slower validator run finished last).</summary>
    NewerKept,
}

/// <summary>
/// The last known good trust policy of each protected role, kept in the audit table as items
/// <c>trust#&lt;roleName&gt;</c>: CloudTrail's UpdateAssumeRolePolicy event carries the new document
/// only, so the IAM guard restores from here. The validator saves when the role's trust check
/// passes. Items carry no risk attribute, so audit listings never show them, and no TTL: the
/// last good document must outlive any retention period.
/// </summary>
public sealed class TrustPolicyStore(IAmazonDynamoDB dynamo, string tableName)
{
    private const string Document = "document";

    public static string IdFor(string roleName) => $"trust#{roleName}";

    /// <summary>Records <paramref name="document"/> as the role's good trust policy, unless the item
    /// holds one recorded after <paramref name="now"/>.</summary>
    public async Task<TrustPolicySave> SaveGoodAsync(string roleName, string document, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = new()
                {
                    [AuditItem.Id] = new AttributeValue { S = IdFor(roleName) },
                    ["roleName"] = new AttributeValue { S = roleName },
                    [Document] = new AttributeValue { S = document },
                    [AuditItem.UpdatedAt] = new AttributeValue { S = AuditItem.Timestamp(now) },
                },
                // Timestamps are fixed-width UTC text, so comparing the strings compares the times.
                ConditionExpression = "attribute_not_exists(id) OR #updatedAt <= :now",
                ExpressionAttributeNames = new() { ["#updatedAt"] = AuditItem.UpdatedAt },
                ExpressionAttributeValues = new() { [":now"] = new AttributeValue { S = AuditItem.Timestamp(now) } },
            }, cancellationToken);
            return TrustPolicySave.Saved;
        }
        // The item holds a document recorded after this one: the newer observation wins.
        catch (ConditionalCheckFailedException)
        {
            return TrustPolicySave.NewerKept;
        }
        // Any other refusal reaches callers as the project's one AWS error type.
        catch (AmazonServiceException e)
        {
            throw AwsApiException.FromSdk(e, "dynamodb", "PutItem");
        }
    }

    /// <summary>The role's last known good trust policy; null when none was ever recorded.</summary>
    public async Task<KnownGoodTrustPolicy?> GetGoodAsync(string roleName, CancellationToken cancellationToken = default)
    {
        GetItemResponse response;
        try
        {
            response = await dynamo.GetItemAsync(new GetItemRequest
            {
                TableName = tableName,
                Key = new() { [AuditItem.Id] = new AttributeValue { S = IdFor(roleName) } },
                ConsistentRead = true,
            }, cancellationToken);
        }
        // Refused or throttled after retries: the IAM guard reports it as the revert's failure.
        catch (AmazonServiceException e)
        {
            throw AwsApiException.FromSdk(e, "dynamodb", "GetItem");
        }
        if (response.Item is not { Count: > 0 } item || !item.TryGetValue(Document, out var document) || document.S is null) return null;
        var recordedAt = item.TryGetValue(AuditItem.UpdatedAt, out var at) && DateTimeOffset.TryParse(
            at.S, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : default;
        return new KnownGoodTrustPolicy(roleName, document.S, recordedAt);
    }
}
