using System.Text.Json;
using System.Text.Json.Nodes;
using DuoQServerless.Core.CloudTrail;

namespace DuoQServerless.Tests.Guards;

/// <summary>CloudTrail records for specs, built as EventBridge JSON and read through the real parser.</summary>
internal static class TestRecords
{
    public const string AgentArn = "arn:aws:sts::123456789012:assumed-role/QDeveloperAccess/amazon-q-developer";
    public const string AgentRoleArn = "arn:aws:iam::123456789012:role/QDeveloperAccess";

    public static CloudTrailRecord Ec2(string eventName, object request, object? response = null, string? errorCode = null) =>
        Record("ec2.amazonaws.com", eventName, request, response, errorCode);

    public static CloudTrailRecord Rds(string eventName, object request, object? response = null, string? errorCode = null) =>
        Record("rds.amazonaws.com", eventName, request, response, errorCode);

    public static CloudTrailRecord Iam(string eventName, object request, object? response = null, string? errorCode = null,
        string actorArn = AgentArn, string? issuerArn = AgentRoleArn) =>
        Record("iam.amazonaws.com", eventName, request, response, errorCode, actorArn, issuerArn);

    public static CloudTrailRecord Record(string eventSource, string eventName, object request, object? response = null,
        string? errorCode = null, string actorArn = AgentArn, string? issuerArn = AgentRoleArn, string eventId = "11111111-2222-3333-4444-555555555555")
    {
        var identity = new JsonObject
        {
            ["type"] = "AssumedRole",
            ["arn"] = actorArn,
            ["accountId"] = "123456789012",
        };
        if (issuerArn is not null)
            identity["sessionContext"] = new JsonObject { ["sessionIssuer"] = new JsonObject { ["arn"] = issuerArn } };
        var detail = new JsonObject
        {
            ["eventID"] = eventId,
            ["eventTime"] = "2025-03-14T09:00:00Z",
            ["eventSource"] = eventSource,
            ["eventName"] = eventName,
            ["awsRegion"] = "us-east-1",
            ["userIdentity"] = identity,
            ["sourceIPAddress"] = "203.0.113.41",
            ["userAgent"] = "aws-cli/2.22.35",
            ["requestParameters"] = ToNode(request),
            ["responseElements"] = response is null ? null : ToNode(response),
            ["recipientAccountId"] = "123456789012",
        };
        if (errorCode is not null) detail["errorCode"] = errorCode;
        var envelope = new JsonObject
        {
            ["detail-type"] = "AWS API Call via CloudTrail",
            ["source"] = "aws." + eventSource.Split('.')[0],
            ["account"] = "123456789012",
            ["detail"] = detail,
        };
        return CloudTrailParser.Parse(envelope.ToJsonString()) switch
        {
            ParseOutcome.Parsed parsed => parsed.Record,
            var other => throw new InvalidOperationException($"test record did not parse: {other}"),
        };
    }

    /// <summary>Request and response bodies are written in specs as JSON text.</summary>
    private static JsonNode? ToNode(object value) => value switch
    {
        string json => JsonNode.Parse(json),
        JsonNode node => node,
        _ => throw new ArgumentException("pass JSON text", nameof(value)),
    };
}

/// <summary>The events/ folder of the repository, found from the test's output directory.</summary>
internal static class EventsFolder
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "events");
            if (File.Exists(System.IO.Path.Combine(candidate, "expectations.json"))) return candidate;
        }
        throw new DirectoryNotFoundException("events/expectations.json not found above " + AppContext.BaseDirectory);
    }

    public static string Read(string relative) => File.ReadAllText(System.IO.Path.Combine(Path, relative));

    public static JsonElement Manifest() => JsonDocument.Parse(Read("expectations.json")).RootElement;
}
