using Amazon.DynamoDBv2;
using Amazon.SQS;
using Amazon.SQS.Model;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Core.Approval;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Approval;

/// <summary>The AWS side of the approval specs in one moto account: audit table, queues, topic, clients.</summary>
internal sealed class ApprovalWorld : IDisposable
{
    public const string TableName = "duoq-audit";
    public const string LinkSecret = "approval-link-key-for-tests-only-0123456789";
    public static readonly Uri Api = new("https://approvals.duoq.test/");

    private ApprovalWorld(Uri endpoint)
    {
        Endpoint = endpoint;
        Dynamo = new AmazonDynamoDBClient(TestCredentials.Default, new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = TestCredentials.Region });
        Sqs = new AmazonSQSClient(TestCredentials.Default, new AmazonSQSConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = TestCredentials.Region });
        StepFunctions = new StepFunctionsTestClient(endpoint);
        Sns = new SnsTestClient(endpoint);
        Store = new ApprovalStore(Dynamo, TableName);
    }

    public Uri Endpoint { get; }
    public AmazonDynamoDBClient Dynamo { get; }
    public AmazonSQSClient Sqs { get; }
    public StepFunctionsTestClient StepFunctions { get; }
    public SnsTestClient Sns { get; }
    public ApprovalStore Store { get; }
    public ApprovalLink Links { get; } = ApprovalLink.FromSecret(LinkSecret);
    public string TopicArn { get; private set; } = "";
    /// <summary>An SQS queue subscribed to the topic: what an email subscriber would receive.</summary>
    public string TopicTapUrl { get; private set; } = "";

    public static async Task<ApprovalWorld> CreateAsync(Uri endpoint)
    {
        var world = new ApprovalWorld(endpoint);
        await AuditTable.EnsureExistsAsync(world.Dynamo, TableName);
        world.TopicArn = await world.Sns.CreateTopicAsync("duoq-findings");
        world.Sns.TopicArn = world.TopicArn;
        world.TopicTapUrl = (await world.Sqs.CreateQueueAsync("duoq-findings-tap")).QueueUrl;
        var tapArn = (await world.Sqs.GetQueueAttributesAsync(world.TopicTapUrl, ["QueueArn"])).QueueARN;
        await world.Sns.SubscribeQueueAsync(world.TopicArn, tapArn);
        return world;
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

    public void Dispose()
    {
        Dynamo.Dispose();
        Sqs.Dispose();
        StepFunctions.Dispose();
        Sns.Dispose();
    }
}

/// <summary>A clock the spec sets.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// Records callbacks and answers a set outcome. Used ONLY by the callback specs until the Step
/// Functions client is merged; ApprovalWorkflowSpecs sends real callbacks to moto.
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
