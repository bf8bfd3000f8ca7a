using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace DuoQServerless.Aws.Reporting;

/// <summary>When the last scheduled report was made and where it went.</summary>
public sealed record LastReport(DateTimeOffset GeneratedAt, string Folder);

/// <summary>
/// The <c>report#last</c> item of the audit table: the next report's guard activity starts where
/// the last one's ended, so no period is missed or counted twice. The item carries no <c>risk</c>
/// attribute, so finding scans skip it. It only moves forward: a late run that raced a newer one
/// does not pull it back.
/// </summary>
public sealed class LastReportStore(IAmazonDynamoDB dynamo, string tableName)
{
    public const string Id = "report#last";

    private const string IdAttribute = "id";
    private const string GeneratedAt = "generatedAt";
    private const string Folder = "folder";

    public async Task<LastReport?> GetAsync(CancellationToken cancellationToken = default)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = new() { [IdAttribute] = new AttributeValue { S = Id } },
            ConsistentRead = true,
        }, cancellationToken);
        if (response.Item is not { Count: > 0 } item || !item.TryGetValue(GeneratedAt, out var at)) return null;
        return DateTimeOffset.TryParse(at.S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? new LastReport(time, item.TryGetValue(Folder, out var folder) ? folder.S ?? "" : "")
            // An unreadable time is treated as no report: the caller falls back to its default window.
            : null;
    }

    /// <summary>Records a report made at <paramref name="generatedAt"/>; false when a later one is already recorded.</summary>
    public async Task<bool> TryAdvanceAsync(DateTimeOffset generatedAt, string folder, CancellationToken cancellationToken = default)
    {
        var at = Timestamp(generatedAt);
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = new()
                {
                    [IdAttribute] = new AttributeValue { S = Id },
                    [GeneratedAt] = new AttributeValue { S = at },
                    [Folder] = new AttributeValue { S = folder },
                },
                // Fixed-width UTC timestamps order as strings do.
                ConditionExpression = "attribute_not_exists(#id) OR #at < :at",
                ExpressionAttributeNames = new() { ["#id"] = IdAttribute, ["#at"] = GeneratedAt },
                ExpressionAttributeValues = new() { [":at"] = new AttributeValue { S = at } },
            }, cancellationToken);
            return true;
        }
        // A newer report is already recorded; ours covered a period inside it.
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
