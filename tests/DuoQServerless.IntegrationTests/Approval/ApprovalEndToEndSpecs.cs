using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Core.Approval;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Decisions;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;
using DuoQServerless.Core.Policy;
using DuoQServerless.Functions.Approval;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;

namespace DuoQServerless.IntegrationTests.Approval;

/// <summary>
/// The whole approval path as deployed, in moto: the IAM guard's finding (from a real events/
/// sample) handed to the approval state machine exactly as a guard hands it over; the
/// `request-approval` and `approval-callback` functions run through the bootstrap's own loop
/// against a local Runtime API, with their template environment and a link key they read from an
/// SSM SecureString. The spec plays the SQS event source, the email reader (a queue subscribed to
/// the findings topic) and API Gateway (HTTP API payload 2.0 events for GET and POST). moto
/// answers the guard's Lambda invoke with a canned result, so what the guard was asked is read
/// from the execution history.
/// </summary>
public sealed class ApprovalEndToEndSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const string KeyParameter = "/duoq/approval-link-key";
    private const string IamGuardArn = "arn:aws:lambda:us-east-1:123456789012:function:duoq-iam-guard";
    private const string ApproverIp = DeployedApprovalFunctions.ApproverIp;
    private static readonly Uri Api = new("https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/");
    private ApprovalWorld _world = null!;
    private DeployedApprovalFunctions _functions = null!;
    private string? _executionArn;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _world = await ApprovalWorld.CreateAsync(Endpoint);
        // A 48-byte key (base64 of 36 random bytes) that only the two functions read: links they
        // sign and check with it are the only links this spec has.
        await _world.Aws.Ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = KeyParameter, Type = ParameterType.SecureString, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(36)),
        });
        var environment = _world.Stack.FunctionEnvironment(Endpoint);
        environment[ApprovalVariables.KeyParameter] = KeyParameter;
        environment[ApprovalVariables.BaseUrl] = Api.ToString();
        _functions = new DeployedApprovalFunctions(_world, environment);
    }

    public override async Task DisposeAsync()
    {
        if (_functions is not null) await _functions.DisposeAsync();
        if (_executionArn is not null) await _world.EndIfWaitingAsync(_executionArn);
        _world.Dispose();
    }

    /// <summary>The IAM guard's finding for an AdministratorAccess attachment, from the sample event.</summary>
    private static Finding AdministratorAccessFinding()
    {
        var sample = File.ReadAllText(RepoPaths.Of("events", "iam", "risky-attach-role-policy-administrator-access.json"));
        var record = Assert.IsType<ParseOutcome.Parsed>(CloudTrailParser.Parse(sample)).Record;
        return Assert.IsType<DetectionOutcome.Detected>(Detectors.IamChange.Detect(record, GuardPolicy.Default)).Finding;
    }

    /// <summary>What the IAM guard decides under the bundled policy: ask for approval.</summary>
    private static Decision.Approve DecisionFor(Finding finding) =>
        Assert.IsType<Decision.Approve>(Core.Decisions.Decider.Decide(finding, GuardPolicy.Default, new Dictionary<string, string>(), dryRun: false));

    /// <summary>Hands the finding to the approval workflow as the guard does.</summary>
    private async Task<ActionResult> StartAsGuardDoesAsync(Finding finding, Decision.Approve decision) =>
        await new StepFunctionsApprovalStarter(_world.StepFunctions, _world.Stack.StateMachineArn).StartAsync(finding, decision, IamGuardArn, CancellationToken.None);

    private async Task<(Notification Email, Uri Approve, Uri Reject)> ReadApprovalEmailAsync()
    {
        var email = Assert.Single(await _world.NotificationsAsync());
        var links = Regex.Matches(email.Message, $@"{Regex.Escape(Api.AbsoluteUri)}approvals/\S+").Select(m => new Uri(m.Value)).ToList();
        return (email, links.Single(l => l.Query.Contains("d=approve")), links.Single(l => l.Query.Contains("d=reject")));
    }

    /// <summary>The one Lambda invoke the execution made: it is the guard, and the payload parses as the guard's input.</summary>
    private static (JsonElement Payload, GuardInput Input) GuardInvoke(ExecutionTrace trace)
    {
        var (functionName, payload) = Assert.Single(trace.LambdaInvokes);
        Assert.Equal(IamGuardArn, functionName);
        return (payload, GuardInput.Parse(payload.GetRawText()));
    }

    private static void AssertSameFinding(Finding expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(FindingJson.Serialize(expected)), JsonNode.Parse(actual.GetRawText())),
            $"expected {FindingJson.Serialize(expected)}\nbut the guard was sent {actual.GetRawText()}");

    private async Task<ApprovalRecord> ApprovalOf(Uri link) => (await _world.Store.GetAsync(link.Segments[^1]))!;

    [Fact]
    public async Task Approving_through_the_emailed_link_keeps_the_change_and_asks_the_guard_to_mark_it_approved()
    {
        var finding = AdministratorAccessFinding();
        var started = await StartAsGuardDoesAsync(finding, DecisionFor(finding));
        var batch = await _functions.DeliverApprovalRequestsAsync();
        var (email, approve, reject) = await ReadApprovalEmailAsync();
        _executionArn = (await ApprovalOf(approve)).ExecutionArn;

        var shown = await _functions.BrowseAsync("GET", approve);
        var afterGet = await _world.StatusAsync(_executionArn);
        var decided = await _functions.BrowseAsync("POST", approve, decidedBy: "Alice Approver");
        var again = await _functions.BrowseAsync("POST", reject, decidedBy: "Bob");
        var trace = await _world.WaitForEndAsync(_executionArn);

        Assert.Equal($"approval requested: execution {_executionArn}", Assert.IsType<ActionResult.Done>(started).Detail);
        Assert.Empty(batch.GetProperty("batchItemFailures").EnumerateArray());
        Assert.Equal($"DuoQ approval needed: iam-change on {finding.Resource.Id}", email.Subject);
        Assert.Contains(finding.Summary, email.Message);
        Assert.Contains("203.0.113.41", email.Message);
        Assert.Contains("aws-cli/2.22.35", email.Message);
        Assert.Contains("the change will be REVERTED automatically", email.Message);
        Assert.Equal(200, shown.Status);
        Assert.Contains("Approve this change?", shown.Page);
        Assert.Contains(WebUtility.HtmlEncode(finding.Summary), shown.Page);
        Assert.Contains(WebUtility.HtmlEncode(finding.Actor.Display), shown.Page);
        Assert.Equal(ExecutionStatus.Running, afterGet);
        Assert.Equal(200, decided.Status);
        Assert.Contains("<h1>Approved</h1>", decided.Page);
        Assert.Equal(409, again.Status);
        Assert.Contains("already approved by Alice Approver (from 198.51.100.23)", again.Page);
        Assert.Equal(ExecutionStatus.Succeeded, trace.Status);
        Assert.Equal(["RequestApproval", "Approve", "Approved"], trace.Path);
        Assert.Single(trace.Callbacks);
        var (payload, input) = GuardInvoke(trace);
        AssertSameFinding(finding, payload.GetProperty("approved"));
        Assert.Equal(approve.Segments[^1], payload.GetProperty("approvalId").GetString());
        Assert.Equal("approved", payload.GetProperty("reason").GetString());
        var granted = Assert.IsType<GuardInput.ApprovalGranted>(input);
        Assert.Equal((finding.Id, approve.Segments[^1], "Alice Approver"), (granted.Finding.Id, granted.ApprovalId, granted.DecidedBy));
        var approval = await ApprovalOf(approve);
        Assert.Equal(ApprovalStatus.Approved, approval.Status);
        Assert.Equal("Alice Approver", approval.DecidedBy);
        Assert.Equal(ApproverIp, approval.DecidedFromIp);
        Assert.Equal(DeployedApprovalFunctions.Browser, approval.DecidedUserAgent);
    }

    [Fact]
    public async Task Rejecting_through_the_emailed_link_asks_the_guard_to_revert_the_finding()
    {
        var finding = AdministratorAccessFinding();
        await StartAsGuardDoesAsync(finding, DecisionFor(finding));
        await _functions.DeliverApprovalRequestsAsync();
        var (_, _, reject) = await ReadApprovalEmailAsync();
        _executionArn = (await ApprovalOf(reject)).ExecutionArn;

        var shown = await _functions.BrowseAsync("GET", reject);
        var afterGet = await _world.StatusAsync(_executionArn);
        var decided = await _functions.BrowseAsync("POST", reject, decidedBy: "Bob Reviewer");
        var again = await _functions.BrowseAsync("POST", reject, decidedBy: "Carol");
        var trace = await _world.WaitForEndAsync(_executionArn);

        Assert.Equal(200, shown.Status);
        Assert.Contains("Reject this change?", shown.Page);
        Assert.Contains(WebUtility.HtmlEncode(finding.Summary), shown.Page);
        Assert.Equal(ExecutionStatus.Running, afterGet);
        Assert.Equal(200, decided.Status);
        Assert.Contains("<h1>Rejected</h1>", decided.Page);
        Assert.Equal(409, again.Status);
        Assert.Contains("already rejected by Bob Reviewer", again.Page);
        Assert.Equal(ExecutionStatus.Succeeded, trace.Status);
        Assert.Equal(["RequestApproval", "RevertBecauseRejected", "Revert", "Reverted"], trace.Path);
        Assert.Equal("Rejected", Assert.Single(trace.Callbacks).Detail("error"));
        var (payload, input) = GuardInvoke(trace);
        AssertSameFinding(finding, payload.GetProperty("revert"));
        Assert.Equal("rejected", payload.GetProperty("reason").GetString());
        var revert = Assert.IsType<GuardInput.RevertRequested>(input);
        Assert.Equal((finding.Id, finding.Revert, "rejected"), (revert.Finding.Id, revert.Finding.Revert, revert.Reason));
        var approval = await ApprovalOf(reject);
        Assert.Equal(ApprovalStatus.Rejected, approval.Status);
        Assert.Equal("Bob Reviewer", approval.DecidedBy);
        Assert.Equal(ApproverIp, approval.DecidedFromIp);
    }

    [Fact]
    public async Task When_no_one_decides_in_time_the_guard_is_asked_to_revert_and_the_link_then_refuses()
    {
        var finding = AdministratorAccessFinding();
        var decision = DecisionFor(finding) with { Timeout = TimeSpan.FromSeconds(3) };
        await StartAsGuardDoesAsync(finding, decision);
        await _functions.DeliverApprovalRequestsAsync();
        var (email, approve, _) = await ReadApprovalEmailAsync();
        var pending = await ApprovalOf(approve);
        _executionArn = pending.ExecutionArn;

        var trace = await _world.WaitForEndAsync(_executionArn);
        await ApprovalWorld.WaitUntilExpiredAsync(pending);
        var late = await _functions.BrowseAsync("POST", approve, decidedBy: "Alice Approver");

        Assert.Contains("the change will be REVERTED automatically", email.Message);
        Assert.Equal(ExecutionStatus.Succeeded, trace.Status);
        Assert.Equal(["RequestApproval", "WhatTheTimeoutMeans", "RevertBecauseTimedOut", "Revert", "Reverted"], trace.Path);
        Assert.Empty(trace.Callbacks);
        var (payload, input) = GuardInvoke(trace);
        AssertSameFinding(finding, payload.GetProperty("revert"));
        Assert.Equal("timeout", payload.GetProperty("reason").GetString());
        Assert.Equal("timeout", Assert.IsType<GuardInput.RevertRequested>(input).Reason);
        Assert.Equal(403, late.Status);
        Assert.Contains("This link has expired", late.Page);
        var approval = await ApprovalOf(approve);
        Assert.Equal(ApprovalStatus.Pending, approval.Status);
        Assert.Null(approval.DecidedBy);
    }

    [Fact]
    public async Task A_link_whose_decision_was_changed_gets_403_and_decides_nothing()
    {
        var finding = AdministratorAccessFinding();
        await StartAsGuardDoesAsync(finding, DecisionFor(finding));
        await _functions.DeliverApprovalRequestsAsync();
        var (_, approve, _) = await ReadApprovalEmailAsync();
        _executionArn = (await ApprovalOf(approve)).ExecutionArn;
        var tampered = new Uri(approve.AbsoluteUri.Replace("d=approve", "d=reject", StringComparison.Ordinal));

        var refused = await _functions.BrowseAsync("POST", tampered, decidedBy: "Mallory");

        Assert.NotEqual(approve, tampered);
        Assert.Equal(403, refused.Status);
        Assert.Contains("This link is not valid", refused.Page);
        Assert.Equal(ExecutionStatus.Running, await _world.StatusAsync(_executionArn));
        Assert.DoesNotContain(await _world.HistoryAsync(_executionArn), e => e.Type is "TaskSucceeded" or "TaskFailed");
        var approval = await ApprovalOf(approve);
        Assert.Equal(ApprovalStatus.Pending, approval.Status);
        Assert.Null(approval.DecidedBy);
    }
}
