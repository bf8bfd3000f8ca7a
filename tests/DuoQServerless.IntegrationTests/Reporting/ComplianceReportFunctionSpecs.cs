using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Reporting;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Audit;
using DuoQServerless.Core.Reporting;
using DuoQServerless.Functions.Guards;
using DuoQServerless.Functions.Reporting;
using DuoQServerless.Functions.Runtime;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;
using DuoQServerless.Testing.Reporting;
using static DuoQServerless.IntegrationTests.Reporting.SeededAccount;

namespace DuoQServerless.IntegrationTests.Reporting;

/// <summary>The compliance-report function as its schedule runs it: through the Lambda runtime path, against the emulator.</summary>
public sealed partial class ComplianceReportFunctionSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private const string Bucket = "duoq-reports";
    private const string ScheduleEvent = """
        {"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events",
         "account":"123456789012","time":"2026-11-24T12:00:00Z","region":"us-east-1",
         "resources":["arn:aws:events:us-east-1:123456789012:rule/duoq-ComplianceReportFunctionSchedule"],"detail":{}}
        """;

    private EmulatorStack _stack = null!;
    private QueueInbox _inbox = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _stack = await EmulatorStack.EnsureAsync(Aws, CancellationToken.None);
        await Aws.S3.PutBucketAsync(Bucket);
        _inbox = await QueueInbox.CreateAsync(Aws.Sqs, "report-inbox");
        await Aws.Sns.SubscribeAsync(new SubscribeRequest(_stack.TopicArn, "sqs", _inbox.Arn));
    }

    private async Task<(string OpenGroup, string AdminRole)> SeedAsync()
    {
        var group = await new SeededAccount(Endpoint).GroupAsync("us-east-1", "open-ssh", Tcp(22, 22, "0.0.0.0/0"));
        await Aws.Rds.CreateInstanceAsync("orders-db");
        var role = await Aws.Iam.CreateRoleAsync("ops-admin");
        await Aws.Iam.AttachRolePolicyForSetUpAsync("ops-admin", IamGuardSetup.AdministratorAccess);
        return (group, role);
    }

    private async Task<JsonElement> InvokeAsync(LocalFunction function)
    {
        var result = await function.InvokeAsync(ScheduleEvent, TimeSpan.FromSeconds(120));
        Assert.True(result.Succeeded, result.Body.GetRawText());
        return result.Body;
    }

    private LocalFunction Start(Stream logs) =>
        LocalFunction.Start(ComplianceReportHandler.Name, new Dictionary<string, string>(_stack.FunctionEnvironment(Endpoint))
        {
            [ReportVariables.ReportBucket] = Bucket,
        }, logs);

    [Fact]
    public async Task The_schedule_writes_three_files_under_a_dated_prefix_and_sends_one_summary()
    {
        var (group, role) = await SeedAsync();
        using var logs = new MemoryStream();
        await using var function = Start(logs);

        var answer = await InvokeAsync(function);

        var objects = (await Aws.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket })).S3Objects ?? [];
        var folder = Assert.Single(objects.Select(o => o.Key[..(o.Key.LastIndexOf('/') + 1)]).Distinct());
        Assert.Matches(DatedFolder(), folder);
        Assert.Equal(["findings.csv", "report.html", "report.json"], objects.Select(o => o.Key[folder.Length..]).Order(StringComparer.Ordinal));
        Assert.Equal($"s3://{Bucket}/{folder}report.html", answer.GetProperty("html").GetString());

        using var json = await Aws.S3.GetObjectAsync(Bucket, folder + "report.json");
        var report = ReportJson.Deserialize(await new StreamReader(json.ResponseStream).ReadToEndAsync());
        Assert.Equal(group, Assert.Single(report.Exposed.OpenSecurityGroups).GroupId);
        Assert.Equal("orders-db", Assert.Single(report.Exposed.UnprotectedDatabases).Identifier);
        Assert.Equal(role, Assert.Single(report.Exposed.AdminPrincipals).Arn);
        Assert.Equal(3, answer.GetProperty("exposed").GetInt32());

        var message = await _inbox.ReceiveJsonAsync();
        Assert.Equal("DuoQ report 123456789012: 3 exposed, 0 caught, 0 reverted, 0 pending approval", message.GetProperty("Subject").GetString());
        Assert.Contains($"Report: s3://{Bucket}/{folder}report.html", message.GetProperty("Message").GetString());
        await Assert.ThrowsAsync<TimeoutException>(() => _inbox.ReceiveAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task The_next_report_counts_guard_activity_from_where_the_last_one_ended()
    {
        var audit = new AuditStore(Aws.DynamoDb, _stack.AuditTable);
        var anHourAgo = DateTimeOffset.UtcNow.AddHours(-1);
        await audit.TryBeginAsync(ReportSamples.Entry("ev-1", "public-ssh", "revert", anHourAgo, AuditState.InProgress, null, null), anHourAgo);
        using var logs = new MemoryStream();
        await using var function = Start(logs);

        var first = await InvokeAsync(function);
        var second = await InvokeAsync(function);

        Assert.Equal(1, first.GetProperty("findingsCaught").GetInt32());
        Assert.Equal(0, second.GetProperty("findingsCaught").GetInt32());
        Assert.Equal(first.GetProperty("generatedAt").GetDateTimeOffset(), second.GetProperty("since").GetDateTimeOffset());
        Assert.Equal(second.GetProperty("generatedAt").GetDateTimeOffset(), (await new LastReportStore(Aws.DynamoDb, _stack.AuditTable).GetAsync())!.GeneratedAt);
    }

    [Fact]
    public async Task An_event_that_is_not_its_schedule_is_refused()
    {
        using var logs = new MemoryStream();
        await using var function = Start(logs);

        var result = await function.InvokeAsync("""{"detail-type":"AWS API Call via CloudTrail","detail":{}}""");

        Assert.False(result.Succeeded);
        Assert.Equal(nameof(InvalidEventException), result.Body.GetProperty("errorType").GetString());
    }

    [GeneratedRegex(@"^reports/\d{4}/\d{2}/\d{2}/\d{6}/$")]
    private static partial Regex DatedFolder();
}
