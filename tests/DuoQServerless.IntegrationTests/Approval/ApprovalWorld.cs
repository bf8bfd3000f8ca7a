using System.Text.Json;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.SQS;
using Amazon.SQS.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Approval;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Approval;

/// <summary>
/// The AWS side of the approval specs in one moto account, as template.yaml deploys it: the
/// emulator stack (audit table, findings topic, approval-requests queue, the repository's state
/// machine), a queue subscribed to the topic (the email reader), and the project's own clients.
/// </summary>
internal sealed class ApprovalWorld : IDisposable
{
    public const string LinkSecret = "approval-link-key-for-tests-only-0123456789";
    public const string GuardArn = "arn:aws:lambda:us-east-1:123456789012:function:duoq-public-ssh";
    public static readonly Uri Api = new("https://approvals.duoq.test/");

    private ApprovalWorld(Uri endpoint, EmulatorStack stack, AwsClientFactory aws, string topicTapUrl)
    {
        Endpoint = endpoint;
        Stack = stack;
        Aws = aws;
        TopicTapUrl = topicTapUrl;
        Store = new ApprovalStore(aws.DynamoDb, stack.AuditTable);
        Callbacks = new StepFunctionsTaskCallbacks(aws.StepFunctions);
        Mailer = new SnsApprovalMailer(aws.Sns, stack.TopicArn);
    }

    public Uri Endpoint { get; }
    public EmulatorStack Stack { get; }
    public AwsClientFactory Aws { get; }
    public IAmazonDynamoDB Dynamo => Aws.DynamoDb;
    public IAmazonSQS Sqs => Aws.Sqs;
    public StepFunctionsClient StepFunctions => Aws.StepFunctions;
    /// <summary>SendTaskSuccess / SendTaskFailure to moto's Step Functions, as the callback function sends them.</summary>
    public ITaskCallbacks Callbacks { get; }
    /// <summary>Publishes to the findings topic, as the request-approval function does.</summary>
    public IApprovalMailer Mailer { get; }
    public ApprovalStore Store { get; }
    public ApprovalLink Links { get; } = ApprovalLink.FromSecret(LinkSecret);
    /// <summary>An SQS queue subscribed to the topic: what an email subscriber would receive.</summary>
    public string TopicTapUrl { get; }

    public static async Task<ApprovalWorld> CreateAsync(Uri endpoint)
    {
        var aws = new AwsClientFactory(new AwsSettings
        {
            Region = RegionEndpoint.USEast1, EndpointOverride = endpoint, Credentials = TestCredentials.Default, EnvironmentVariables = _ => null,
        });
        var stack = await EmulatorStack.EnsureAsync(aws, CancellationToken.None);
        var tapUrl = (await aws.Sqs.CreateQueueAsync("duoq-findings-tap")).QueueUrl;
        var tapArn = (await aws.Sqs.GetQueueAttributesAsync(tapUrl, ["QueueArn"])).QueueARN;
        await aws.Sns.SubscribeAsync(new SubscribeRequest(stack.TopicArn, "sqs", tapArn));
        return new ApprovalWorld(endpoint, stack, aws, tapUrl);
    }

    /// <summary>Starts the approval state machine with this input; returns the execution ARN.</summary>
    public async Task<string> StartExecutionAsync(ApprovalExecutionInput input, string name) =>
        (await StepFunctions.StartExecutionAsync(new StartExecutionRequest(
            Stack.StateMachineArn, JsonSerializer.Serialize(input, ApprovalJson.Default.ApprovalExecutionInput), name))).ExecutionArn;

    /// <summary>
    /// An approval Step Functions really waits for: starts an execution for the record's finding,
    /// takes its task token from the approval-requests queue and stores the record with it.
    /// </summary>
    public async Task<ApprovalRecord> CreateWaitingApprovalAsync(ApprovalRecord template, int timeoutSeconds = 300)
    {
        await StartExecutionAsync(new ApprovalExecutionInput
        {
            Finding = JsonDocument.Parse(template.FindingJson).RootElement.Clone(),
            GuardFunctionArn = template.GuardFunctionArn,
            TimeoutSeconds = timeoutSeconds,
            TimeoutMeans = template.TimeoutMeans,
            ApprovalSummary = template.Summary,
        }, $"waiting-{template.ApprovalId}");
        var request = Assert.Single(await ReceiveAsync(Stack.ApprovalQueueUrl)).Body;
        var message = JsonSerializer.Deserialize(request, ApprovalJson.Default.ApprovalRequestMessage)!;
        var approval = template with { TaskToken = message.TaskToken, ExecutionArn = message.ExecutionArn };
        await Store.CreateAsync(approval);
        return approval;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for messages on a queue and deletes what it read.</summary>
    public async Task<List<Message>> ReceiveAsync(string queueUrl, int atLeast = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        var messages = new List<Message>();
        while (messages.Count < atLeast && DateTime.UtcNow < deadline)
        {
            var received = await Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
            foreach (var message in received.Messages ?? [])
            {
                messages.Add(message);
                await Sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }
        }
        return messages;
    }

    public async Task<List<Notification>> NotificationsAsync(int atLeast = 1, TimeSpan? timeout = null) =>
        (await ReceiveAsync(TopicTapUrl, atLeast, timeout)).Select(m => Notification.FromQueueBody(m.Body)).ToList();

    /// <summary>Waits until the clock has passed an approval's expiry (links expire on whole seconds).</summary>
    public static async Task WaitUntilExpiredAsync(ApprovalRecord approval)
    {
        var left = approval.ExpiresAt.AddSeconds(1) - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero) await Task.Delay(left);
    }

    public async Task<ExecutionStatus> StatusAsync(string executionArn) =>
        (await StepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest(executionArn))).Status;

    /// <summary>Polls until the execution leaves RUNNING (or the patience runs out), then reads its history.</summary>
    public async Task<ExecutionTrace> WaitForEndAsync(string executionArn, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(60));
        ExecutionDescription execution;
        while ((execution = await StepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest(executionArn))).Status == ExecutionStatus.Running
               && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        return new ExecutionTrace(execution, await HistoryAsync(executionArn));
    }

    public async Task<List<HistoryEvent>> HistoryAsync(string executionArn)
    {
        var events = new List<HistoryEvent>();
        await foreach (var e in StepFunctions.GetExecutionHistoryAsync(new GetExecutionHistoryRequest(executionArn))) events.Add(e);
        return events;
    }

    /// <summary>
    /// Ends an execution a spec left waiting for a decision, so no waiting task outlives the spec
    /// into the next one: rejects it with the token its history holds and waits for the end.
    /// (moto 5.2.1's StopExecution leaves a task that waits for its token waiting, and RUNNING.)
    /// </summary>
    public async Task EndIfWaitingAsync(string executionArn)
    {
        if (await StatusAsync(executionArn) != ExecutionStatus.Running) return;
        var requested = (await HistoryAsync(executionArn)).LastOrDefault(e => e.Type == "TaskScheduled" && e.Detail("resourceType") == "sqs");
        if (requested is null) return;
        using var parameters = JsonDocument.Parse(requested.Detail("parameters")!);
        var token = parameters.RootElement.GetProperty("MessageBody").GetProperty("taskToken").GetString()!;
        await Callbacks.SendTaskFailureAsync(token, RejectionCause.Error, "the spec ended", CancellationToken.None);
        await WaitForEndAsync(executionArn, TimeSpan.FromSeconds(20));
    }

    public void Dispose() => Aws.Dispose();
}

/// <summary>An execution as it ended, and what its history says it did.</summary>
internal sealed record ExecutionTrace(ExecutionDescription Execution, List<HistoryEvent> History)
{
    public ExecutionStatus Status => Execution.Status;

    /// <summary>The states entered, in order.</summary>
    public List<string> Path => History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.Detail("name")!).ToList();

    /// <summary>The Lambda invokes the state machine scheduled: function name and payload, in order.</summary>
    public List<(string FunctionName, JsonElement Payload)> LambdaInvokes => History
        .Where(e => e.Type == "TaskScheduled" && e.Detail("resourceType") == "lambda")
        .Select(e => JsonDocument.Parse(e.Detail("parameters")!).RootElement)
        .Select(p => (p.GetProperty("FunctionName").GetString()!, p.GetProperty("Payload").Clone()))
        .ToList();

    /// <summary>What the approval task was completed with: TaskSucceeded (output) or TaskFailed (error, cause).</summary>
    public List<HistoryEvent> Callbacks => History.Where(e => e.Type is "TaskSucceeded" or "TaskFailed" && e.Detail("resourceType") == "sqs").ToList();
}

/// <summary>An SNS notification as it arrives in a subscribed SQS queue.</summary>
internal sealed record Notification(string Subject, string Message)
{
    public static Notification FromQueueBody(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return new Notification(doc.RootElement.GetProperty("Subject").GetString() ?? "", doc.RootElement.GetProperty("Message").GetString() ?? "");
    }
}

/// <summary>A clock the spec sets.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// Records callbacks and answers a set outcome: only for simulating Step Functions being
/// unavailable (throttled), which moto cannot be made to answer. Every other spec sends real
/// callbacks to moto.
/// </summary>
internal sealed class RecordingTaskCallbacks : ITaskCallbacks
{
    public List<(string Kind, string TaskToken, string Payload)> Calls { get; } = [];

    public TaskCallbackOutcome Answer { get; set; } = new TaskCallbackOutcome.Delivered();

    public Task<TaskCallbackOutcome> SendTaskSuccessAsync(string taskToken, string outputJson, CancellationToken cancellationToken)
    {
        Calls.Add(("success", taskToken, outputJson));
        return Task.FromResult(Answer);
    }

    public Task<TaskCallbackOutcome> SendTaskFailureAsync(string taskToken, string error, string cause, CancellationToken cancellationToken)
    {
        Calls.Add(($"failure:{error}", taskToken, cause));
        return Task.FromResult(Answer);
    }
}
