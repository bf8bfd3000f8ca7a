using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Amazon;
using Amazon.SQS.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;

namespace DuoQServerless.IntegrationTests.Template;

/// <summary>
/// Each guard's EventBridge rule, exactly as template.yaml writes it, put into moto's EventBridge
/// with an SQS target; every sample in events/ is sent. moto's TestEventPattern is a stub, so
/// delivery is the proof.
/// </summary>
public sealed class RuleDeliverySpecs(MotoFixture moto) : MotoTest(moto)
{
    private static readonly AwsService EventBridge = new("events", "EventBridge", "events", "", JsonTargetPrefix: "AWSEvents", JsonVersion: "1.1");
    private static readonly JsonTypeInfo<JsonObject> Json = (JsonTypeInfo<JsonObject>)JsonSerializerOptions.Default.GetTypeInfo(typeof(JsonObject));

    public static TheoryData<string> Guards => new(Detectors.All.Select(d => d.Guard.Id()));

    [Theory]
    [MemberData(nameof(Guards))]
    public async Task A_guard_rule_delivers_its_risky_samples_and_never_failed_calls_or_other_guards_events(string guard)
    {
        using var aws = new AwsClientFactory(new AwsSettings { Region = RegionEndpoint.USEast1, EndpointOverride = Endpoint, Credentials = TestCredentials.Default });
        var events = aws.JsonClient(EventBridge);
        var queueUrl = (await aws.Sqs.CreateQueueAsync($"rule-{guard}")).QueueUrl;
        var queueArn = (await aws.Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        var function = SamTemplate.Load().Functions().Single(f => f.Handler == $"{guard}-guard");
        var pattern = Assert.Single(SamTemplate.Load().RulePatterns(function.Properties));
        // What CloudFormation makes of !Sub for the stack the samples were recorded in (samconfig.toml's stack_name).
        var deployed = pattern.ToJsonString().Replace(EventRulePattern.TemplateStackPrefix, "duoq-serverless-", StringComparison.Ordinal);
        await events.InvokeAsync("PutRule", new JsonObject { ["Name"] = guard, ["EventPattern"] = deployed }, Json, Json);
        await events.InvokeAsync("PutTargets", new JsonObject { ["Rule"] = guard, ["Targets"] = new JsonArray(new JsonObject { ["Id"] = "queue", ["Arn"] = queueArn }) }, Json, Json);

        var samples = Samples().ToList();
        foreach (var sample in samples)
            await events.InvokeAsync("PutEvents", new JsonObject { ["Entries"] = new JsonArray(sample.Entry.DeepClone()) }, Json, Json);
        var delivered = await DeliveredEventIdsAsync(aws, queueUrl);

        var expected = samples.Where(s => (s.Guard == guard || s.AlsoWatchedBy.Contains(guard)) && s.Outcome != "failed-call" && s.RuleDelivers)
            .Select(s => s.EventId).ToHashSet();
        Assert.Contains(samples, s => s.Guard == guard && s.Outcome == "finding");
        Assert.All(samples.Where(s => s.Guard == guard && s.Outcome == "finding"), s => Assert.Contains(s.EventId, delivered));
        Assert.Equal(expected.Order(), delivered.Order());
    }

    /// <param name="RuleDelivers">False for calls the rule's name filter keeps out (someone else's resources, for the self guard).</param>
    private sealed record Sample(string File, string Guard, string Outcome, string EventId, JsonObject Entry, bool RuleDelivers, IReadOnlyList<string> AlsoWatchedBy);

    // Every sample with its expectation; the EventBridge entry is built from its envelope.
    private static IEnumerable<Sample> Samples()
    {
        var expectations = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("events", "expectations.json")))!.AsArray();
        foreach (var expectation in expectations)
        {
            var file = expectation!["file"]!.GetValue<string>();
            var envelope = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("events", file)))!.AsObject();
            if (envelope["detail"] is not JsonObject detail) continue; // bare records have no envelope to send
            var record = ((ParseOutcome.Parsed)CloudTrailParser.Parse(envelope.ToJsonString())).Record;
            yield return new Sample(file, expectation["guard"]?.GetValue<string>() ?? "none", expectation["outcome"]!.GetValue<string>(), record.EventId,
                new JsonObject
                {
                    ["Source"] = envelope["source"]!.GetValue<string>(),
                    ["DetailType"] = envelope["detail-type"]!.GetValue<string>(),
                    ["Detail"] = detail.ToJsonString(),
                },
                expectation["ruleDelivers"]?.GetValue<bool>() ?? true,
                expectation["alsoWatchedBy"] is JsonObject also ? also.Select(entry => entry.Key).ToArray() : []);
        }
    }

    private static async Task<List<string>> DeliveredEventIdsAsync(AwsClientFactory aws, string queueUrl)
    {
        var ids = new List<string>();
        while (true)
        {
            var batch = await aws.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(queueUrl) { MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
            if (batch.Messages is not { Count: > 0 } messages) return ids;
            ids.AddRange(messages.Select(m => JsonNode.Parse(m.Body)!["detail"]!["eventID"]!.GetValue<string>()));
            foreach (var message in messages) await aws.Sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
        }
    }
}
