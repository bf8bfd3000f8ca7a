using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS.Model;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Notifications;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Validation;
using DuoQServerless.Functions.Logging;
using DuoQServerless.Functions.Validation;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Validation;

/// <summary>
/// The duoq-validator function through the Lambda runtime path against moto: it stores each
/// result in the audit table, keeps the last good trust policy, and notifies through SNS (read
/// from an SQS subscription) only when the result changes.
/// </summary>
public sealed class ValidatorFunctionSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private const string Table = "duoq-audit";
    private readonly MemoryStream _logs = new();
    private QueueInbox _inbox = null!;
    private string _topic = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AuditTable.EnsureExistsAsync(Aws.DynamoDb, Table);
        _topic = await Aws.Sns.CreateTopicAsync(new CreateTopicRequest("duoq-findings"));
        _inbox = await QueueInbox.CreateAsync(Aws.Sqs, "validator-inbox");
        await Aws.Sns.SubscribeAsync(new SubscribeRequest(_topic, "sqs", _inbox.Arn));
    }

    private LocalFunction Start(GuideSetup setup, params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = Endpoint.ToString(),
            ["AWS_REGION"] = TestCredentials.Region,
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["DUOQ_AUDIT_TABLE"] = Table,
            ["DUOQ_TOPIC_ARN"] = _topic,
            ["DUOQ_INSTANCE_ID"] = GuideSetup.InstanceId,
            ["DUOQ_KMS_KEY_ID"] = setup.KeyId,
            ["DUOQ_SECURITY_GROUP_IDS"] = setup.GroupId,
        };
        foreach (var (name, value) in extra) environment[name] = value;
        return LocalFunction.Start("duoq-validator", environment, _logs);
    }

    private async Task<ValidationReport> ValidateAsync(LocalFunction function, string @event = """{"action":"validate"}""")
    {
        var result = await function.InvokeAsync(@event);
        Assert.True(result.Succeeded, $"{result.Body}\n{Logs}");
        return ValidationReport.FromJson(result.Body.GetRawText());
    }

    private string Logs => Encoding.UTF8.GetString(_logs.ToArray());

    private async Task<IReadOnlyList<JsonElement>> NotificationsAsync()
    {
        var received = new List<JsonElement>();
        while (true)
        {
            var answer = await Aws.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = _inbox.Url, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
            if (answer.Messages is not { Count: > 0 } messages) return received;
            foreach (var message in messages)
            {
                received.Add(JsonDocument.Parse(message.Body).RootElement.Clone());
                await Aws.Sqs.DeleteMessageAsync(_inbox.Url, message.ReceiptHandle);
            }
        }
    }

    [Fact]
    public async Task Each_result_is_stored_in_the_audit_table_and_a_passing_trust_policy_is_kept()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await using var function = Start(setup);

        var report = await ValidateAsync(function);

        var item = (await Aws.DynamoDb.GetItemAsync(new GetItemRequest { TableName = Table, Key = new() { ["id"] = new AttributeValue { S = "validator#last" } } })).Item;
        Assert.Equal(CheckStatus.Pass, report.Overall);
        Assert.Equal("pass", item["overall"].S);
        Assert.Equal(report, ValidationReport.FromJson(item["report"].S), ReportComparer.Instance);
        Assert.False(item.ContainsKey("risk"));
        var kept = await new DuoQServerless.Aws.Audit.TrustPolicyStore(Aws.DynamoDb, Table).GetGoodAsync(GuideSetup.RoleName);
        Assert.NotNull(kept);
        Assert.Contains($"oidc-provider/auth.token.gitlab.com/cc/oidc/{GuideSetup.InstanceId}", kept.Document);
        Assert.Contains($"auth.token.gitlab.com/cc/oidc/{GuideSetup.InstanceId}:aud", kept.Document);
    }

    [Fact]
    public async Task A_problem_is_notified_once_however_often_it_is_seen_a_new_one_again_and_the_recovery_too()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.SetMaxSessionDurationAsync(3600);
        await using var function = Start(setup);

        var first = await ValidateAsync(function);
        var second = await ValidateAsync(function);
        var afterTwoRuns = await NotificationsAsync();

        Assert.Equal(CheckStatus.Fail, first.Overall);
        Assert.Equal(CheckStatus.Fail, second.Overall);
        var problem = Assert.Single(afterTwoRuns);
        Assert.Equal("[DuoQ] Amazon Q setup: 1 check fails (QDeveloperAccess, 123456789012)", problem.GetProperty("Subject").GetString());
        Assert.Contains("FAIL 3 session-duration", problem.GetProperty("Message").GetString());
        Assert.Equal("duoq-setup", problem.GetProperty("MessageAttributes").GetProperty("risk").GetProperty("Value").GetString());

        await setup.DisableKeyAsync();
        await ValidateAsync(function);
        var afterBreaking = Assert.Single(await NotificationsAsync());

        Assert.Equal("[DuoQ] Amazon Q setup: 2 checks fail (QDeveloperAccess, 123456789012)", afterBreaking.GetProperty("Subject").GetString());
        var message = afterBreaking.GetProperty("Message").GetString()!;
        var worse = message[message.IndexOf("Got worse:", StringComparison.Ordinal)..message.IndexOf("Every check:", StringComparison.Ordinal)];
        Assert.StartsWith("Got worse:\n  FAIL 5 kms-key", worse);
        Assert.Contains("is Disabled", worse);
        Assert.DoesNotContain("session-duration", worse);

        await setup.SetMaxSessionDurationAsync(43200);
        await Aws.Kms.EnableKeyAsync(new Amazon.KeyManagementService.Model.EnableKeyRequest { KeyId = setup.KeyId });
        var healthy = await ValidateAsync(function);
        var recovery = Assert.Single(await NotificationsAsync());

        Assert.Equal(CheckStatus.Pass, healthy.Overall);
        Assert.Equal("[DuoQ] Amazon Q setup healthy again (QDeveloperAccess, 123456789012)", recovery.GetProperty("Subject").GetString());
        Assert.Equal("recovered", recovery.GetProperty("MessageAttributes").GetProperty("change").GetProperty("Value").GetString());
    }

    [Fact]
    public async Task A_healthy_first_result_is_stored_without_a_notification()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await using var function = Start(setup);

        await ValidateAsync(function, "{}");
        await ValidateAsync(function, """{"version":"0","id":"s-1","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2025-06-01T12:00:00Z","region":"us-east-1","resources":[],"detail":{}}""");

        Assert.Empty(await NotificationsAsync());
        Assert.NotNull(await new ValidationStore(Aws.DynamoDb, Table).GetLastAsync());
    }

    [Fact]
    public async Task A_CloudTrail_change_to_the_role_triggers_a_validation_and_one_to_another_role_does_not()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.UpdateTrustPolicyAsync(GuideSetup.TrustPolicy(instance: GuideSetup.OtherInstanceId, audienceInstance: GuideSetup.OtherInstanceId));
        await using var function = Start(setup);

        var unrelated = await function.InvokeAsync(CloudTrailEvent("UpdateAssumeRolePolicy", "SomeOtherRole"));
        var nothingYet = await new ValidationStore(Aws.DynamoDb, Table).GetLastAsync();
        var report = await ValidateAsync(function, CloudTrailEvent("UpdateAssumeRolePolicy", GuideSetup.RoleName));

        Assert.True(unrelated.Succeeded);
        Assert.False(unrelated.Body.GetProperty("validated").GetBoolean());
        Assert.Null(nothingYet);
        Assert.Equal(CheckStatus.Fail, report.Checks.Single(c => c.Id == DuoQChecks.TrustPolicy.Id).Status);
        var notification = Assert.Single(await NotificationsAsync());
        Assert.Contains("(UpdateAssumeRolePolicy by arn:aws:sts::123456789012:assumed-role/QDeveloperAgent/session)", notification.GetProperty("Message").GetString());
        Assert.Null(await new DuoQServerless.Aws.Audit.TrustPolicyStore(Aws.DynamoDb, Table).GetGoodAsync(GuideSetup.RoleName));
    }

    [Fact]
    public async Task An_event_it_does_not_take_fails_the_invocation_and_a_malformed_instance_id_fails_init()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await using (var function = Start(setup))
        {
            var refused = await function.InvokeAsync("""{"action":"delete-everything"}""");

            Assert.False(refused.Succeeded);
            Assert.Equal("InvalidEventException", refused.Body.GetProperty("errorType").GetString());
        }

        await using var misconfigured = Start(setup, ("DUOQ_INSTANCE_ID", "not-a-uuid"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => misconfigured.InvokeAsync("{}"));
        Assert.Contains("DUOQ_INSTANCE_ID", Logs);
        Assert.Contains("not a UUID", Logs);
        Assert.Contains("stopped", error.Message);
    }

    [Fact]
    public async Task A_change_whose_notification_could_not_be_sent_is_notified_by_the_next_run()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.DisableKeyAsync();
        var store = new ValidationStore(Aws.DynamoDb, Table);
        var log = new LambdaLogger(_logs, LogLevel.Info, TimeProvider.System);
        ValidatorRun RunWith(string topic) => new(new ValidatorServices(
            setup.Target, new DuoQSetupGatherer(Aws), store, new DuoQServerless.Aws.Audit.TrustPolicyStore(Aws.DynamoDb, Table), new SnsFindingNotifier(Aws.Sns, topic), TimeProvider.System));

        var failed = await RunWith($"arn:aws:sns:us-east-1:{TestCredentials.AccountId}:deleted-topic").RunAsync(new ValidatorTrigger.OnDemand(), log, CancellationToken.None);
        var afterFailure = await store.GetLastAsync();
        var retried = await RunWith(_topic).RunAsync(new ValidatorTrigger.OnDemand(), log, CancellationToken.None);

        Assert.IsType<NotifyOutcome.NotSent>(failed.Notification);
        Assert.Null(afterFailure);
        Assert.Contains("Validation result changed but the notification was not sent", Logs);
        Assert.IsType<NotifyOutcome.Sent>(retried.Notification);
        Assert.Equal(ChangeKind.FirstResult, retried.Change.Kind);
        Assert.Contains("kms-key", Assert.Single(await NotificationsAsync()).GetProperty("Message").GetString());
        Assert.NotNull(await store.GetLastAsync());
    }

    private static string CloudTrailEvent(string eventName, string roleName) => $$$$"""
        {"version":"0","id":"e-1","detail-type":"AWS API Call via CloudTrail","source":"aws.iam","account":"123456789012",
         "time":"2025-06-01T12:00:00Z","region":"us-east-1","resources":[],
         "detail":{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"{{{{eventName}}}}","eventID":"abc",
           "eventTime":"2025-06-01T12:00:00Z","awsRegion":"us-east-1",
           "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/QDeveloperAgent/session","accountId":"123456789012"},
           "requestParameters":{"roleName":"{{{{roleName}}}}","policyDocument":"{}"}}}
        """;

    /// <summary>Reports compare by their JSON: records holding lists compare lists by reference.</summary>
    private sealed class ReportComparer : IEqualityComparer<ValidationReport>
    {
        public static readonly ReportComparer Instance = new();

        public bool Equals(ValidationReport? x, ValidationReport? y) => x?.ToJson() == y?.ToJson();

        public int GetHashCode(ValidationReport obj) => obj.ToJson().GetHashCode(StringComparison.Ordinal);
    }
}
