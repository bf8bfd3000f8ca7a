using DuoQServerless.Aws.Reporting;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Functions.Guards;
using DuoQServerless.Functions.Reporting;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Reporting;
using Xunit.Abstractions;
using static DuoQServerless.IntegrationTests.Reporting.SeededAccount;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>An account with one of everything the report lists, a policy over two regions, and an
/// access key the run (100 days ahead) finds old, so the user's tags are read too.</summary>
public sealed class ComplianceReportWorld : PrivilegeWorld
{
    private const string ScheduleEvent = """
        {"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events",
         "account":"123456789012","time":"2026-11-24T12:00:00Z","region":"us-east-1",
         "resources":["arn:aws:events:us-east-1:123456789012:rule/duoq-ComplianceReportFunctionSchedule"],"detail":{}}
        """;

    private Task<(FunctionRun Run, Invoked Outcome)>? _full;

    public override string Handler => ComplianceReportHandler.Name;

    protected override async Task SeedAsync()
    {
        await new SeededAccount(Endpoint).GroupAsync("us-east-1", "open-ssh", Tcp(22, 22, "0.0.0.0/0"));
        await Admin.Rds.CreateInstanceAsync("orders-db");
        await Admin.Iam.CreateRoleAsync("ops-admin");
        await Admin.Iam.AttachRolePolicyForSetUpAsync("ops-admin", IamGuardSetup.AdministratorAccess);
        await Admin.Iam.CreateUserAsync("ci-bot");
        await Admin.Iam.CreateAccessKeyAsync("ci-bot");
        await PutParameterAsync("/duoq/policy", "reportRegions: [us-east-1, eu-west-1]");
    }

    public Task<(FunctionRun Run, Invoked Outcome)> FullyGrantedAsync() => _full ??= RunGrantedAsync(Role.Actions);

    public async Task<(FunctionRun Run, Invoked Outcome)> RunGrantedAsync(IEnumerable<string> actions)
    {
        await GrantAsync(actions);
        var run = await FunctionRun.StartAsync(Handler, Environment(new Dictionary<string, string>
        {
            [ReportVariables.ReportBucket] = ReportBucket,
            [FunctionVariables.PolicyParameter] = "/duoq/policy",
        }), new AheadClock(TimeSpan.FromDays(100)));
        return (run, run.InitError is null ? await run.InvokeAsync(ScheduleEvent) : new Invoked(null, run.InitError));
    }

    private sealed class AheadClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + ahead;
    }
}

/// <summary>Least privilege, proven for the compliance report (replaces the recorder-vs-template
/// check of ComplianceReportFunctionSpecs, resources now included).</summary>
public sealed class ComplianceReportPrivilegeSpecs(ComplianceReportWorld world, ITestOutputHelper output) : IClassFixture<ComplianceReportWorld>
{
    public static IEnumerable<object[]> Actions => GuardWorld.RemovableActions(ComplianceReportHandler.Name);

    [Fact]
    public async Task Every_report_call_is_allowed_by_its_role_in_template_yaml_resources_and_conditions_included()
    {
        var (run, outcome) = await world.FullyGrantedAsync();

        Assert.True(outcome.Escaped is null, outcome.Describe());
        Assert.Equal(0, outcome.Answer!.Value.GetProperty("notScanned").GetInt32());
        Assert.True(outcome.Answer!.Value.GetProperty("notified").GetBoolean());
        Assert.All(run.Calls.Calls, call => Assert.False(PrivilegeLedger.IsRefusal(call), $"{call.Action} refused: {call.ErrorCode}"));
        Assert.Empty(PrivilegeLedger.Refusals(world.Role, run.Calls.Calls, world.SecureParameters));
        output.WriteLine(PrivilegeLedger.Row(world.Role, run.Calls.Calls, world.SecureParameters));
    }

    [Fact]
    public async Task Every_action_of_the_report_role_is_used()
    {
        var (run, _) = await world.FullyGrantedAsync();

        Assert.Empty(PrivilegeLedger.Unused(world.Role, run.Calls.Calls, world.SecureParameters));
        Assert.Empty(PrivilegeLedger.UnneededStatements(world.Role, run.Calls.Calls, world.SecureParameters));
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Without_one_action_the_report_says_what_it_could_not_do(string removed)
    {
        await world.FullyGrantedAsync();
        var (run, outcome) = await world.RunGrantedAsync(world.Role.Actions.Where(a => a != removed));

        if (removed == "ssm:GetParameter")
        {
            // Without its policy the report cannot know its regions: an init error naming the parameter.
            Assert.Matches("SSM parameter /duoq/policy.*AccessDenied", run.InitError?.Message ?? "(no init error)");
            return;
        }
        Assert.Contains(run.Calls.Calls, c => c.Action == removed && PrivilegeLedger.IsRefusal(c));
        var notices = run.Calls.Calls.Where(c => c is { Action: "sns:Publish", Succeeded: true }).Select(c => ((PublishRequest)c.Request!).Message).ToList();
        if (removed == "s3:PutObject")
        {
            // A report that cannot be written is said on the topic; the invocation fails so that Lambda retries it.
            Assert.IsType<ReportWriteException>(outcome.Escaped);
            Assert.Contains(notices, m => m.Contains("could not be written") && m.Contains("AccessDenied"));
            return;
        }
        Assert.True(outcome.Escaped is null, $"without {removed}: {outcome.Describe()}");
        var answer = outcome.Answer!.Value;
        if (removed == "sns:Publish")
            Assert.False(answer.GetProperty("notified").GetBoolean());
        else
            Assert.NotEmpty(notices);
        if (removed.StartsWith("ec2:") || removed.StartsWith("rds:") || removed.StartsWith("iam:") || removed == "dynamodb:Scan")
            Assert.True(answer.GetProperty("notScanned").GetInt32() > 0, $"without {removed}: {answer}");
        else
            Assert.Contains("AccessDenied", run.Logs);
    }
}
