using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.SQS.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Findings;

namespace DuoQServerless.Cli.Demo;

/// <summary>What happened to one approval the demo walked through.</summary>
public sealed record ApprovalWalk(string Decision, string ApprovalId, int GetStatus, int PostStatus, string ExecutionStatus, string GuardResult);

/// <summary>
/// Plays the parts of AWS the emulator cannot for the approval workflow: the SQS event source of
/// `request-approval`, a person opening the emailed link (API Gateway's GET, then the button's
/// POST to `approval-callback`), and Lambda, which in the emulator only echoes the state
/// machine's invoke: the demo hands that payload to the guard itself.
/// </summary>
public sealed partial class DemoApprovals(AwsClientFactory aws, EmulatorStack stack, IReadOnlyDictionary<string, string> environment, LocalGuards guards, string inboxUrl)
{
    /// <param name="decisionByRisk">What the person decides, by the risk the email is about ("approve" or "reject").</param>
    public async Task<IReadOnlyList<ApprovalWalk>> WalkAsync(IReadOnlyDictionary<string, string> decisionByRisk, CancellationToken cancellationToken)
    {
        using var logs = new MemoryStream();
        await using var requestApproval = LocalFunction.Start("request-approval", environment, logs);
        await using var callback = LocalFunction.Start("approval-callback", environment, logs);

        var requests = await ReceiveAllAsync(stack.ApprovalQueueUrl, cancellationToken);
        var sqsEvent = new JsonObject { ["Records"] = new JsonArray(requests.Select(m => (JsonNode)new JsonObject { ["messageId"] = m.MessageId, ["body"] = m.Body }).ToArray()) };
        await requestApproval.InvokeAsync(sqsEvent.ToJsonString());

        var walks = new List<ApprovalWalk>();
        var mails = (await ReceiveAllAsync(inboxUrl, cancellationToken)).Select(m => JsonNode.Parse(m.Body)!["Message"]!.GetValue<string>());
        foreach (var mail in mails)
        {
            var (approve, reject) = (ApproveLink().Match(mail), RejectLink().Match(mail));
            if (!approve.Success || !reject.Success || decisionByRisk.FirstOrDefault(d => mail.Contains(d.Key, StringComparison.Ordinal)).Value is not { } decision)
                continue;
            // The signature covers the decision: each decision has its own link in the email.
            var link = new Uri(decision == "approve" ? approve.Value : reject.Value);
            var view = await callback.InvokeAsync(HttpEvent("GET", link, body: null));
            var decided = await callback.InvokeAsync(HttpEvent("POST", link, body: "decidedBy=Demo%20Approver"));
            var approvalId = approve.Groups["id"].Value;
            var (status, guardResult) = await HandToGuardAsync(await ExecutionOfAsync(approvalId, cancellationToken), cancellationToken);
            walks.Add(new ApprovalWalk(decision, approvalId, Status(view.Body), Status(decided.Body), status, guardResult));
        }
        return walks;
    }

    private async Task<string> ExecutionOfAsync(string approvalId, CancellationToken cancellationToken) =>
        (await new Aws.Approval.ApprovalStore(aws.DynamoDb, stack.AuditTable).GetAsync(approvalId, cancellationToken))?.ExecutionArn
            ?? throw new InvalidOperationException($"approval {approvalId} is not in the audit table");

    // Waits for the execution to end, then gives its guard invoke's payload to the guard.
    private async Task<(string Status, string GuardResult)> HandToGuardAsync(string executionArn, CancellationToken cancellationToken)
    {
        var execution = await aws.StepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest(executionArn), cancellationToken);
        for (var wait = 0; execution.Status == ExecutionStatus.Running && wait < 100; wait++)
        {
            await Task.Delay(100, cancellationToken);
            execution = await aws.StepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest(executionArn), cancellationToken);
        }
        await foreach (var step in aws.StepFunctions.GetExecutionHistoryAsync(new GetExecutionHistoryRequest(executionArn), cancellationToken))
        {
            if (step.Type != "TaskScheduled" || step.Detail("resourceType") != "lambda" || step.Detail("parameters") is not { } parameters) continue;
            var payload = JsonNode.Parse(parameters)!["Payload"]!.ToJsonString();
            var finding = JsonNode.Parse(payload)!.AsObject().First(p => p.Key is "revert" or "approved").Value!.Deserialize(FindingJsonContext.Default.Finding)!;
            var result = await guards.InvokeAsync(finding.Risk.GuardOf(), payload, cancellationToken);
            var said = result.Body.TryGetProperty(result.Succeeded ? "detail" : "errorMessage", out var text) ? text.GetString() ?? "" : result.Body.GetRawText();
            return (execution.Status.ToString(), result.Succeeded ? said : $"failed: {said}");
        }
        return (execution.Status.ToString(), "the state machine invoked no guard");
    }

    private static string HttpEvent(string method, Uri link, string? body)
    {
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        return new JsonObject
        {
            ["rawPath"] = link.AbsolutePath,
            ["rawQueryString"] = link.Query.TrimStart('?'),
            ["pathParameters"] = new JsonObject { ["id"] = link.Segments[^1] },
            ["queryStringParameters"] = new JsonObject(query.AllKeys.Select(key => KeyValuePair.Create(key!, (JsonNode?)query[key]))),
            ["headers"] = new JsonObject { ["content-type"] = "application/x-www-form-urlencoded" },
            ["requestContext"] = new JsonObject { ["http"] = new JsonObject { ["method"] = method, ["path"] = link.AbsolutePath, ["sourceIp"] = "203.0.113.10", ["userAgent"] = "duoq-demo" } },
            ["body"] = body,
            ["isBase64Encoded"] = false,
        }.ToJsonString();
    }

    private static int Status(JsonElement response) => response.TryGetProperty("statusCode", out var code) ? code.GetInt32() : 0;

    private async Task<List<Message>> ReceiveAllAsync(string queueUrl, CancellationToken cancellationToken)
    {
        var all = new List<Message>();
        for (var empty = 0; empty < 3;)
        {
            var batch = await aws.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(queueUrl) { MaxNumberOfMessages = 10, WaitTimeSeconds = 1 }, cancellationToken);
            if (batch.Messages is not { Count: > 0 } messages) { empty++; continue; }
            all.AddRange(messages);
            foreach (var message in messages) await aws.Sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle, cancellationToken);
        }
        return all;
    }

    [GeneratedRegex(@"https?://\S+/approvals/(?<id>[A-Za-z0-9_-]+)\?d=approve\S*")]
    private static partial Regex ApproveLink();

    [GeneratedRegex(@"https?://\S+/approvals/[A-Za-z0-9_-]+\?d=reject\S*")]
    private static partial Regex RejectLink();
}
