using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using Amazon.SQS.Model;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Approval;
using DuoQServerless.Functions.Approval;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Approval;

/// <summary>
/// The `request-approval` and `approval-callback` functions as Lambda runs them (the bootstrap's
/// loop against a local Runtime API), and what sits in front of them in AWS, played by the spec:
/// Lambda's SQS event source and API Gateway's HTTP API (payload 2.0).
/// </summary>
internal sealed class DeployedApprovalFunctions : IAsyncDisposable
{
    public const string ApproverIp = "198.51.100.23";
    public const string Browser = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private readonly ApprovalWorld _world;
    private readonly MemoryStream _requestLogs = new();
    private readonly MemoryStream _callbackLogs = new();
    private readonly LocalFunction _requestApproval;
    private readonly LocalFunction _approvalCallback;

    /// <param name="environment">The functions' environment as template.yaml sets it, pointed at moto.</param>
    public DeployedApprovalFunctions(ApprovalWorld world, IReadOnlyDictionary<string, string> environment)
    {
        _world = world;
        _requestApproval = LocalFunction.Start(RequestApprovalHandler.Name, environment, _requestLogs);
        _approvalCallback = LocalFunction.Start(ApprovalCallbackHandler.Name, environment, _callbackLogs);
    }

    /// <summary>
    /// Plays Lambda's SQS event source: receives from the approval-requests queue, invokes
    /// request-approval with the batch, and deletes the messages it did not report as failed.
    /// Answers the function's partial batch response.
    /// </summary>
    public async Task<JsonElement> DeliverApprovalRequestsAsync()
    {
        var queueUrl = _world.Stack.ApprovalQueueUrl;
        var queueArn = (await _world.Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        var messages = new List<Message>();
        for (var attempt = 0; attempt < 10 && messages.Count == 0; attempt++)
            messages = (await _world.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1, MessageSystemAttributeNames = ["All"],
            })).Messages ?? [];
        Assert.NotEmpty(messages);
        var records = messages.Select(m => (JsonNode)new JsonObject
        {
            ["messageId"] = m.MessageId,
            ["receiptHandle"] = m.ReceiptHandle,
            ["body"] = m.Body,
            ["attributes"] = new JsonObject((m.Attributes ?? []).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
            ["messageAttributes"] = new JsonObject(),
            ["md5OfBody"] = m.MD5OfBody,
            ["eventSource"] = "aws:sqs",
            ["eventSourceARN"] = queueArn,
            ["awsRegion"] = TestCredentials.Region,
        });

        var result = await _requestApproval.InvokeAsync(new JsonObject { ["Records"] = new JsonArray([.. records]) }.ToJsonString());

        Assert.True(result.Succeeded, $"request-approval failed: {result.Body}\n{Logs(_requestLogs)}");
        var failed = result.Body.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()).ToHashSet();
        foreach (var message in messages.Where(m => !failed.Contains(m.MessageId)))
            await _world.Sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
        return result.Body;
    }

    /// <summary>Plays API Gateway: the HTTP API's payload 2.0 event for a browser's GET, or form POST, of the link.</summary>
    public async Task<(int Status, string Page)> BrowseAsync(string method, Uri link, string? decidedBy = null)
    {
        var query = HttpUtility.ParseQueryString(link.Query);
        var now = DateTimeOffset.UtcNow;
        var apiId = link.Host.Split('.')[0];
        var headers = new JsonObject
        {
            ["accept"] = "text/html", ["host"] = link.Host, ["user-agent"] = Browser,
            ["x-forwarded-for"] = ApproverIp, ["x-forwarded-port"] = "443", ["x-forwarded-proto"] = "https",
        };
        var @event = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = $"{method} /approvals/{{id}}",
            ["rawPath"] = link.AbsolutePath,
            ["rawQueryString"] = link.Query.TrimStart('?'),
            ["headers"] = headers,
            ["queryStringParameters"] = new JsonObject(query.AllKeys.Select(k => KeyValuePair.Create(k!, (JsonNode?)query[k]))),
            ["pathParameters"] = new JsonObject { ["id"] = link.Segments[^1] },
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = TestCredentials.AccountId,
                ["apiId"] = apiId,
                ["domainName"] = link.Host,
                ["domainPrefix"] = apiId,
                ["http"] = new JsonObject
                {
                    ["method"] = method, ["path"] = link.AbsolutePath, ["protocol"] = "HTTP/1.1", ["sourceIp"] = ApproverIp, ["userAgent"] = Browser,
                },
                ["requestId"] = Guid.NewGuid().ToString("N")[..16],
                ["routeKey"] = $"{method} /approvals/{{id}}",
                ["stage"] = "$default",
                ["time"] = now.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
                ["timeEpoch"] = now.ToUnixTimeMilliseconds(),
            },
            ["isBase64Encoded"] = false,
        };
        if (method == "POST")
        {
            // HTTP APIs hand a posted form to Lambda base64-encoded.
            headers["content-type"] = "application/x-www-form-urlencoded";
            @event["body"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(decidedBy is null ? "" : $"{ApprovalPages.DecidedByField}={Uri.EscapeDataString(decidedBy)}"));
            @event["isBase64Encoded"] = true;
        }

        var result = await _approvalCallback.InvokeAsync(@event.ToJsonString());

        Assert.True(result.Succeeded, $"approval-callback failed: {result.Body}\n{Logs(_callbackLogs)}");
        Assert.StartsWith("text/html", result.Body.GetProperty("headers").GetProperty("Content-Type").GetString());
        return (result.Body.GetProperty("statusCode").GetInt32(), result.Body.GetProperty("body").GetString()!);
    }

    /// <summary>Every line both functions logged so far.</summary>
    public string AllLogs => Logs(_requestLogs) + Logs(_callbackLogs);

    // Read only between invocations, when the function's loop is waiting and writes nothing.
    private static string Logs(MemoryStream logs) => Encoding.UTF8.GetString(logs.ToArray());

    public async ValueTask DisposeAsync()
    {
        await _requestApproval.DisposeAsync();
        await _approvalCallback.DisposeAsync();
    }
}
