using Amazon;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Guards;
using DuoQServerless.Aws.Notifications;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Policy;
using DuoQServerless.Functions.Guards;
using DuoQServerless.Functions.Logging;
using DuoQServerless.Functions.Runtime;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;

namespace DuoQServerless.IntegrationTests.Races;

/// <summary>
/// The public-SSH guard as deployed, against moto: its real pipeline and services (security groups,
/// the audit table, the findings topic with an SQS subscriber reading what was sent), every AWS call
/// it makes recorded. Events are the sample of events/ with the emulator's group and rule ids.
/// </summary>
public sealed class SshGuardWorld : IDisposable
{
    public const string GuardArn = "arn:aws:lambda:us-east-1:123456789012:function:duoq-ssh-guard";
    private const string Sample = "ssh/risky-authorize-ipv4-22.json";
    private const string SampleGroupId = "sg-0f3a9c2d7b1e45a01";
    private const string SampleRuleId = "sgr-0a11b22c33d44e501";
    private const string SampleEventId = "ce580ab5-fe7c-5c3d-8641-2f74df2d25ef";

    private SshGuardWorld(AwsClientFactory aws, EmulatorStack stack, QueueInbox inbox, AwsCallRecorder calls)
    {
        Aws = aws;
        Stack = stack;
        Inbox = inbox;
        Calls = calls;
        Guard = new GuardPipeline(GuardHandler.Compose(
            Detectors.PublicSsh, GuardPolicy.Default, aws, new InMemoryEnvironment(stack.FunctionEnvironment(endpoint: null)),
            (clients, _) => new SecurityGroupAccount(clients.Ec2), TimeProvider.System));
    }

    public AwsClientFactory Aws { get; }
    public EmulatorStack Stack { get; }
    public QueueInbox Inbox { get; }
    public AwsCallRecorder Calls { get; }
    public GuardPipeline Guard { get; }

    public static async Task<SshGuardWorld> CreateAsync(Uri endpoint)
    {
        var calls = new AwsCallRecorder();
        var aws = new AwsClientFactory(new AwsSettings
        {
            Region = RegionEndpoint.USEast1, EndpointOverride = endpoint, Credentials = TestCredentials.Default, EnvironmentVariables = _ => null,
            Observer = calls,
        });
        var stack = await EmulatorStack.EnsureAsync(aws, CancellationToken.None);
        var inbox = await QueueInbox.CreateAsync(aws.Sqs, "duoq-findings-inbox");
        await aws.Sns.SubscribeAsync(new SubscribeRequest(stack.TopicArn, "sqs", inbox.Arn));
        calls.Clear();
        return new SshGuardWorld(aws, stack, inbox, calls);
    }

    /// <summary>The agent's change: a group with SSH open to the world. Returns its id and the rule's.</summary>
    public async Task<(string GroupId, string RuleId)> SeedWorldOpenSshAsync()
    {
        var groupId = (await Aws.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest("web-" + Guid.NewGuid().ToString("N")[..8], "race spec"))).GroupId;
        await Aws.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = groupId,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }],
        });
        var ruleId = (await WorldOpenSshRulesAsync(groupId)).Single();
        Calls.Clear();
        return (groupId, ruleId);
    }

    /// <summary>The group's ingress rules that still open port 22 to 0.0.0.0/0, by rule id.</summary>
    public async Task<IReadOnlyList<string>> WorldOpenSshRulesAsync(string groupId) =>
        ((await Aws.Ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [groupId])] }))
            .SecurityGroupRules ?? [])
        .Where(rule => rule.IsEgress != true && rule.FromPort == 22 && rule.CidrIpv4 == "0.0.0.0/0")
        .Select(rule => rule.SecurityGroupRuleId).ToArray();

    /// <summary>The risky sample as CloudTrail would deliver it for this group and rule.</summary>
    public static string RiskyEvent(string groupId, string ruleId, string? eventId = null) =>
        File.ReadAllText(RepoPaths.Of("events", Sample))
            .Replace(SampleGroupId, groupId).Replace(SampleRuleId, ruleId).Replace(SampleEventId, eventId ?? SampleEventId);

    public Task<GuardReport> DeliverAsync(string @event) =>
        Guard.HandleAsync(@event, GuardArn, new LambdaLogger(Stream.Null, LogLevel.Debug, TimeProvider.System), CancellationToken.None);

    /// <summary>RevokeSecurityGroupIngress calls EC2 accepted.</summary>
    public IReadOnlyList<AwsCall> Revokes => Calls.Calls.Where(call => call.Action == "ec2:RevokeSecurityGroupIngress" && call.Succeeded).ToArray();

    /// <summary>Every mutating EC2 call made (succeeded or not).</summary>
    public IReadOnlyList<AwsCall> Ec2Writes => Calls.Calls
        .Where(call => call.Service == "ec2" && !call.Operation.StartsWith("Describe", StringComparison.Ordinal)).ToArray();

    public async Task<IReadOnlyList<Dictionary<string, AttributeValue>>> AuditItemsAsync() =>
        (await Aws.DynamoDb.ScanAsync(new ScanRequest(Stack.AuditTable) { ConsistentRead = true })).Items.Where(item => item.ContainsKey("risk")).ToArray();

    /// <summary>Every message the findings topic delivered, waiting <paramref name="quiet"/> after the last.</summary>
    public async Task<IReadOnlyList<string>> NotificationsAsync(TimeSpan quiet)
    {
        var messages = new List<string>();
        while (true)
        {
            try
            {
                messages.Add(await Inbox.ReceiveAsync(quiet));
            }
            // Nothing more arrived within the quiet period: that is all the topic sent.
            catch (TimeoutException)
            {
                return messages;
            }
        }
    }

    public void Dispose() => Aws.Dispose();
}
