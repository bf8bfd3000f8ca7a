using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Aws.Validation;

/// <summary>The last stored result and the version its conditional writes compare against.</summary>
/// <param name="Report">Null when the stored text is not a report this version reads (an older schema): compared as no earlier result.</param>
public sealed record StoredValidation(ValidationReport? Report, long Version, DateTimeOffset UpdatedAt);

/// <summary>A trust policy that last passed check 2, kept so a broken one can be put back by hand.</summary>

/// <summary>
/// The validator's items in the audit table: the last result (<c>validator#last</c>) and the last
/// good trust policy of each role. Items carry no <c>risk</c> attribute, so finding scans skip
/// them. Replacing the last result is one conditional write on its version: two runs that raced
/// (a schedule and a CloudTrail event) cannot both claim the same change and both notify.
/// </summary>
public sealed class ValidationStore(IAmazonDynamoDB dynamo, string tableName)
{
    public const string LastResultId = "validator#last";

    private const string Id = "id";
    private const string Report = "report";
    private const string Overall = "overall";
    private const string Version = "version";
    private const string UpdatedAt = "updatedAt";
    private const string Document = "document";

    public async Task<StoredValidation?> GetLastAsync(CancellationToken cancellationToken = default)
    {
        var item = await GetItemAsync(LastResultId, cancellationToken);
        if (item is null) return null;
        ValidationReport? report;
        try
        {
            report = item.TryGetValue(Report, out var text) && text.S is { } json ? ValidationReport.FromJson(json) : null;
        }
        // Written by a version with another schema: treated as no earlier result rather than blocking every later run.
        catch (JsonException)
        {
            report = null;
        }
        return new StoredValidation(report, long.Parse(item[Version].N, CultureInfo.InvariantCulture), Time(item));
    }

    /// <summary>
    /// Stores <paramref name="report"/> as the last result if the stored one is still
    /// <paramref name="expected"/> (null: none stored). Null when another run replaced it first:
    /// read again and compare with that one.
    /// </summary>
    public async Task<StoredValidation?> TryReplaceLastAsync(ValidationReport report, StoredValidation? expected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var version = (expected?.Version ?? 0) + 1;
        var item = new Dictionary<string, AttributeValue>
        {
            [Id] = S(LastResultId),
            [Report] = S(report.ToJson()),
            [Overall] = S(report.Overall.ToString().ToLowerInvariant()),
            ["checkedAt"] = S(Timestamp(report.CheckedAt)),
            [Version] = new AttributeValue { N = version.ToString(CultureInfo.InvariantCulture) },
            [UpdatedAt] = S(Timestamp(now)),
        };
        return await TryPutAsync(item, expected?.Version, cancellationToken) ? new StoredValidation(report, version, now) : null;
    }

    /// <summary>
    /// Puts <paramref name="previous"/> back (or removes the result when there was none) if
    /// <paramref name="ours"/> is still the stored one: a change whose notification could not be
    /// sent is then seen, and notified, again by the next run.
    /// </summary>
    public async Task<bool> TryRollBackAsync(StoredValidation ours, StoredValidation? previous, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ours);
        if (previous?.Report is { } earlier)
            return await TryReplaceLastAsync(earlier, ours, now, cancellationToken) is not null;
        try
        {
            await dynamo.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = tableName,
                Key = Key(LastResultId),
                ConditionExpression = "#version = :expected",
                ExpressionAttributeNames = new() { ["#version"] = Version },
                ExpressionAttributeValues = new() { [":expected"] = Number(ours.Version) },
            }, cancellationToken);
            return true;
        }
        // Another run stored a newer result meanwhile: it compares against ours and decides for itself.
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private async Task<bool> TryPutAsync(Dictionary<string, AttributeValue> item, long? expectedVersion, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = item,
                ConditionExpression = expectedVersion is null ? "attribute_not_exists(#id)" : "#version = :expected",
                ExpressionAttributeNames = expectedVersion is null ? new() { ["#id"] = Id } : new() { ["#version"] = Version },
                ExpressionAttributeValues = expectedVersion is { } v ? new() { [":expected"] = Number(v) } : null,
            }, cancellationToken);
            return true;
        }
        // Another run replaced the result after we read it.
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private async Task<Dictionary<string, AttributeValue>?> GetItemAsync(string id, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = tableName, Key = Key(id), ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private static Dictionary<string, AttributeValue> Key(string id) => new() { [Id] = S(id) };

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue(UpdatedAt, out var value) && DateTimeOffset.TryParse(value.S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : default;
}
