using System.Text;
using System.Text.Json;
using Amazon;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Guards;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Audit;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Policy;
using DuoQServerless.Functions.Guards;
using DuoQServerless.Functions.Logging;
using DuoQServerless.Functions.Runtime;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;
using static DuoQServerless.IntegrationTests.Clients.ScriptedAwsServer;

namespace DuoQServerless.IntegrationTests.Faults;

/// <summary>
/// A guard composed as its function composes it (<see cref="GuardHandler.Compose"/>), whose AWS
/// calls go through a fault-injecting proxy in front of moto; its retry waits are recorded
/// instead of slept, its log lines kept, and the findings topic delivers to an SQS inbox.
/// Set-up and inspection go to moto directly, past the faults.
/// </summary>
internal sealed class FaultWorld : IAsyncDisposable
{
    /// <summary>The function the guard runs as; only approvals use it (none of these specs approve).</summary>
    public const string GuardArn = "arn:aws:lambda:us-east-1:123456789012:function:duoq-guard";
    private readonly MemoryStream _logs = new();

    private FaultWorld(AwsClientFactory direct, EmulatorStack stack, QueueInbox inbox, ScriptedAwsServer proxy)
    {
        Direct = direct;
        Stack = stack;
        Inbox = inbox;
        Proxy = proxy;
        Guarded = new AwsClientFactory(new AwsSettings
        {
            Region = RegionEndpoint.USEast1,
            EndpointOverride = proxy.Endpoint,
            Credentials = TestCredentials.Default,
            EnvironmentVariables = MotoClients.EmptyEnvironment,
            Retry = AwsRetryPolicy.Standard with
            {
                Jitter = () => 0.5,
                Wait = (delay, _) =>
                {
                    lock (Waits) Waits.Add(delay);
                    return Task.CompletedTask;
                },
            },
        });
        Log = new LambdaLogger(_logs, LogLevel.Debug, TimeProvider.System);
    }

    /// <summary>Moto itself, for set-up and for reading what the account looks like.</summary>
    public AwsClientFactory Direct { get; }

    /// <summary>The guard's clients: through the proxy, with the retry waits recorded.</summary>
    public AwsClientFactory Guarded { get; }

    public EmulatorStack Stack { get; }

    public QueueInbox Inbox { get; }

    public ScriptedAwsServer Proxy { get; }

    /// <summary>Every wait our retry policy asked for, in order.</summary>
    public List<TimeSpan> Waits { get; } = [];

    public LambdaLogger Log { get; }

    public AuditStore Audit => new(Direct.DynamoDb, Stack.AuditTable);

    public static async Task<FaultWorld> CreateAsync(Uri moto, params Fault[] faults)
    {
        var direct = new AwsClientFactory(new AwsSettings
        {
            Region = RegionEndpoint.USEast1, EndpointOverride = moto, Credentials = TestCredentials.Default, EnvironmentVariables = MotoClients.EmptyEnvironment,
        });
        var stack = await EmulatorStack.EnsureAsync(direct, CancellationToken.None);
        var inbox = await QueueInbox.CreateAsync(direct.Sqs, "findings-inbox");
        await direct.Sns.SubscribeAsync(new SubscribeRequest(stack.TopicArn, "sqs", inbox.Arn));
        return new FaultWorld(direct, stack, inbox, ScriptedAwsServer.InFrontOf(moto, faults));
    }

    /// <summary>The function's environment as template.yaml sets it, pointed at the proxy.</summary>
    public Dictionary<string, string> FunctionEnvironment(string? policyDocument = null) => Stack.FunctionEnvironment(Proxy.Endpoint, policyDocument: policyDocument);

    public GuardPipeline Guard(Detector detector, Func<AwsClientFactory, AuditStore, IGuardAccount> account, string policyDocument)
    {
        var policy = Assert.IsType<PolicyLoad.Loaded>(GuardPolicy.Parse(policyDocument)).Policy;
        return new GuardPipeline(GuardHandler.Compose(detector, policy, Guarded, new InMemoryEnvironment(FunctionEnvironment()), account, TimeProvider.System));
    }

    public GuardPipeline SshGuard(string policyDocument = "risks:\n  public-ssh:\n    mode: revert\n") =>
        Guard(Detectors.PublicSsh, (aws, _) => new SecurityGroupAccount(aws.Ec2), policyDocument);

    public GuardPipeline IamGuard(string policyDocument = "risks:\n  iam-change:\n    mode: revert\n") =>
        Guard(Detectors.IamChange, (aws, audit) => new IamAccount(aws.Iam, new TrustPolicyStore(aws.DynamoDb, audit.TableName)), policyDocument);

    public Task<GuardReport> HandleAsync(GuardPipeline guard, string @event) => guard.HandleAsync(@event, GuardArn, Log, CancellationToken.None);

    /// <summary>The guard's JSON log lines.</summary>
    public IReadOnlyList<JsonElement> LogLines() =>
        Encoding.UTF8.GetString(_logs.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    /// <summary>The next notification the findings topic delivered: its subject and message.</summary>
    public async Task<(string Subject, string Message)> NotificationAsync()
    {
        var envelope = await Inbox.ReceiveJsonAsync();
        return (envelope.GetProperty("Subject").GetString()!, envelope.GetProperty("Message").GetString()!);
    }

    public async Task<AuditEntry> AuditOfAsync(string? findingId) => Assert.IsType<AuditEntry>(await Audit.GetAsync(Assert.IsType<string>(findingId)));

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        Guarded.Dispose();
        Direct.Dispose();
    }
}
