using System.Text.RegularExpressions;
using System.Web;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Approval;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Decisions;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Policy;
using DuoQServerless.Functions.Approval;
using DuoQServerless.Functions.Runtime;
using DuoQServerless.IntegrationTests.Approval;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;

namespace DuoQServerless.IntegrationTests.Secrets;

/// <summary>
/// The approval-link key (an SSM SecureString) never shows: not in any line request-approval or
/// approval-callback log at the most verbose level, not in the email, not in any page, for valid,
/// tampered and expired links, nor in the init error of a key too short to use.
/// </summary>
public sealed class ApprovalKeyNeverShownSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const string KeyParameter = "/duoq/approval-link-key";
    // Distinctive, and with characters each encoding writes differently.
    private const string Key = "DuoQ-link-KEY/never+logged=7f3a9c1e 2b4d6f80a1b2c3d4";
    private static readonly Uri Api = new("https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/");
    private ApprovalWorld _world = null!;
    private string? _executionArn;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _world = await ApprovalWorld.CreateAsync(Endpoint);
    }

    public override async Task DisposeAsync()
    {
        if (_executionArn is not null) await _world.EndIfWaitingAsync(_executionArn);
        _world.Dispose();
    }

    private async Task<Dictionary<string, string>> EnvironmentWithKeyAsync(string key)
    {
        await _world.Aws.Ssm.PutParameterAsync(new PutParameterRequest { Name = KeyParameter, Type = ParameterType.SecureString, Value = key, Overwrite = true });
        var environment = _world.Stack.FunctionEnvironment(Endpoint);
        environment[ApprovalVariables.KeyParameter] = KeyParameter;
        environment[ApprovalVariables.BaseUrl] = Api.ToString();
        environment[RuntimeVariables.LogLevel] = "TRACE";
        return environment;
    }

    [Fact]
    public async Task Requesting_approval_and_opening_valid_tampered_and_expired_links_never_shows_the_key()
    {
        await using var functions = new DeployedApprovalFunctions(_world, await EnvironmentWithKeyAsync(Key));
        var sample = File.ReadAllText(RepoPaths.Of("events", "iam", "risky-attach-role-policy-administrator-access.json"));
        var record = Assert.IsType<ParseOutcome.Parsed>(CloudTrailParser.Parse(sample)).Record;
        var finding = Assert.IsType<DetectionOutcome.Detected>(Detectors.IamChange.Detect(record, GuardPolicy.Default)).Finding;
        var decision = Assert.IsType<Decision.Approve>(Core.Decisions.Decider.Decide(finding, GuardPolicy.Default, new Dictionary<string, string>(), dryRun: false));
        await new StepFunctionsApprovalStarter(_world.StepFunctions, _world.Stack.StateMachineArn)
            .StartAsync(finding, decision, "arn:aws:lambda:us-east-1:123456789012:function:duoq-iam-guard", CancellationToken.None);
        var batch = await functions.DeliverApprovalRequestsAsync();
        var email = Assert.Single(await _world.NotificationsAsync());
        var approve = Regex.Matches(email.Message, $@"{Regex.Escape(Api.AbsoluteUri)}approvals/\S+").Select(m => new Uri(m.Value)).Single(l => l.Query.Contains("d=approve"));
        var approvalId = approve.Segments[^1];
        _executionArn = (await _world.Store.GetAsync(approvalId))!.ExecutionArn;
        var expired = ApprovalLink.FromSecret(Key).Create(Api, approvalId, ApprovalDecision.Approve, DateTimeOffset.UtcNow.AddHours(-1));

        var shown = await functions.BrowseAsync("GET", approve);
        var tampered = await functions.BrowseAsync("POST", With(approve, "sig", "AAAA" + HttpUtility.ParseQueryString(approve.Query)["sig"]![4..]), "Mallory");
        var stale = await functions.BrowseAsync("POST", expired, "Eve");
        var decided = await functions.BrowseAsync("POST", approve, "Alice Approver");
        var again = await functions.BrowseAsync("POST", approve, "Alice Approver");

        Assert.Equal((200, 200), (shown.Status, decided.Status)); // the scan below covers a run that worked...
        Assert.True(tampered.Status >= 400 && stale.Status >= 400, $"{tampered.Status} {stale.Status}"); // ...and one that refused
        Assert.Contains("\"level\":\"INFO\"", functions.AllLogs);
        SecretScan.AssertAbsent(Key, new Dictionary<string, string>
        {
            ["the functions' logs"] = functions.AllLogs,
            ["the request-approval response"] = batch.GetRawText(),
            ["the approval email"] = email.Subject + "\n" + email.Message,
            ["the confirmation page"] = shown.Page,
            ["the tampered link's page"] = tampered.Page,
            ["the expired link's page"] = stale.Page,
            ["the decision page"] = decided.Page,
            ["the repeated decision's page"] = again.Page,
        });
    }

    [Theory]
    [InlineData("too-short: 31 bytes of key DuoQ")]
    [InlineData("too-short+key/for=links")]
    public async Task A_key_too_short_to_use_fails_init_without_showing_it(string shortKey)
    {
        var logs = new MemoryStream();
        await using var function = LocalFunction.Start(ApprovalCallbackHandler.Name, await EnvironmentWithKeyAsync(shortKey), logs);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => function.InvokeAsync("{}"));

        var logged = System.Text.Encoding.UTF8.GetString(logs.ToArray());
        Assert.Contains("is too short", logged);
        SecretScan.AssertAbsent(shortKey, new Dictionary<string, string> { ["the init error's log"] = logged, ["the invocation's error"] = error.Message });
    }

    private static Uri With(Uri link, string name, string value)
    {
        var builder = new UriBuilder(link);
        var query = HttpUtility.ParseQueryString(builder.Query);
        query[name] = value;
        builder.Query = query.ToString();
        return builder.Uri;
    }
}
