using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Core.Approval;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Approval;

/// <summary>
/// The real statemachine/approval.asl.json executed by moto's Step Functions. The spec plays the
/// SQS event source (reads the approval-requests queue, runs the request-approval logic), the
/// email reader (an SQS queue subscribed to the topic) and the browser (GET, then POST the link).
/// moto answers Lambda invokes with their payload, so what the guard was asked is read from the
/// execution history.
/// </summary>
public sealed class ApprovalWorkflowSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const string GuardArn = ApprovalWorld.GuardArn;
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

    private static readonly JsonElement Finding = JsonDocument.Parse("""{"id":"ev-1:public-ssh","groupId":"sg-0abc","ruleIds":["sgr-0123"]}""").RootElement.Clone();

    private async Task<string> StartAsync(int timeoutSeconds = 300, TimeoutMeans timeoutMeans = TimeoutMeans.Revert, string guardArn = GuardArn) =>
        _executionArn = await _world.StartExecutionAsync(new ApprovalExecutionInput
        {
            Finding = Finding,
            GuardFunctionArn = guardArn,
            TimeoutSeconds = timeoutSeconds,
            TimeoutMeans = timeoutMeans,
            ApprovalSummary = ApprovalStoreSpecs.Pending().Summary,
        }, "ev-1-public-ssh");

    /// <summary>Plays the SQS event source: delivers the approval request to the request-approval logic.</summary>
    private async Task<SqsBatchResponse> DeliverApprovalRequestAsync()
    {
        var messages = await _world.ReceiveAsync(_world.Stack.ApprovalQueueUrl);
        Assert.Single(messages);
        var requester = new ApprovalRequester(_world.Store, _world.Links, _world.Mailer, ApprovalWorld.Api, TimeProvider.System);
        return await requester.HandleAsync(new SqsEvent { Records = messages.Select(m => new SqsMessage { MessageId = m.MessageId, Body = m.Body }).ToList() });
    }

    private async Task<(Notification Email, Uri Approve, Uri Reject)> ReadApprovalEmailAsync()
    {
        var email = Assert.Single(await _world.NotificationsAsync());
        var links = Regex.Matches(email.Message, @"https://approvals\.duoq\.test/approvals/\S+").Select(m => new Uri(m.Value)).ToList();
        return (email, links.Single(l => l.Query.Contains("d=approve")), links.Single(l => l.Query.Contains("d=reject")));
    }

    private Task<CallbackResponse> BrowseAsync(string method, Uri link, TimeProvider? clock = null, string? name = null)
    {
        var query = HttpUtility.ParseQueryString(link.Query);
        var callback = new ApprovalCallback(_world.Store, _world.Callbacks, _world.Links, clock ?? TimeProvider.System);
        return callback.HandleAsync(new CallbackRequest
        {
            Method = method,
            ApprovalId = link.Segments[^1],
            Query = query.AllKeys.ToDictionary(k => k!, k => query[k]!),
            Form = name is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ApprovalPages.DecidedByField] = name },
            SourceIp = "203.0.113.9",
            UserAgent = "Mozilla/5.0",
        });
    }

    private async Task<(ExecutionStatus Status, List<string> Path, List<JsonNode> GuardPayloads, ExecutionDescription Execution)> OutcomeAsync(string executionArn)
    {
        var trace = await _world.WaitForEndAsync(executionArn);
        Assert.All(trace.LambdaInvokes, invoke => Assert.Equal(GuardArn, invoke.FunctionName));
        return (trace.Status, trace.Path, trace.LambdaInvokes.Select(i => JsonNode.Parse(i.Payload.GetRawText())!).ToList(), trace.Execution);
    }

    [Fact]
    public async Task Approving_through_the_emailed_link_asks_the_guard_to_mark_the_finding_approved()
    {
        var executionArn = await StartAsync();
        var batch = await DeliverApprovalRequestAsync();
        var (email, approve, _) = await ReadApprovalEmailAsync();

        var shown = await BrowseAsync("GET", approve);
        var stillWaiting = await _world.StatusAsync(executionArn);
        var decided = await BrowseAsync("POST", approve, name: "Alice");
        var (status, path, payloads, _) = await OutcomeAsync(executionArn);

        Assert.Empty(batch.BatchItemFailures);
        Assert.Equal("DuoQ approval needed: public-ssh on sg-0abc", email.Subject);
        Assert.Contains("198.51.100.7", email.Message);
        Assert.Contains("Approve this change?", shown.Body);
        Assert.Equal(ExecutionStatus.Running, stillWaiting);
        Assert.Equal(200, decided.StatusCode);
        Assert.Equal(ExecutionStatus.Succeeded, status);
        Assert.Equal(["RequestApproval", "Approve", "Approved"], path);
        var payload = Assert.Single(payloads);
        var approvalId = approve.Segments[^1];
        Assert.Equal(approvalId, payload["approvalId"]!.GetValue<string>());
        Assert.Equal("Alice", payload["decidedBy"]!.GetValue<string>());
        Assert.Equal("approved", payload["reason"]!.GetValue<string>());
        Assert.Equal("ev-1:public-ssh", payload["approved"]!["id"]!.GetValue<string>());
        var stored = (await _world.Store.GetAsync(approvalId))!;
        Assert.Equal(ApprovalStatus.Approved, stored.Status);
        Assert.Equal(executionArn, stored.ExecutionArn);
    }

    [Fact]
    public async Task Rejecting_through_the_emailed_link_asks_the_guard_to_revert_the_finding()
    {
        var executionArn = await StartAsync();
        await DeliverApprovalRequestAsync();
        var (_, _, reject) = await ReadApprovalEmailAsync();

        var decided = await BrowseAsync("POST", reject, name: "Bob");
        var again = await BrowseAsync("POST", reject, name: "Carol");
        var (status, path, payloads, _) = await OutcomeAsync(executionArn);

        Assert.Contains("<h1>Rejected</h1>", decided.Body);
        Assert.Contains("already rejected by Bob", again.Body);
        Assert.Equal(ExecutionStatus.Succeeded, status);
        Assert.Equal(["RequestApproval", "RevertBecauseRejected", "Revert", "Reverted"], path);
        var payload = Assert.Single(payloads);
        Assert.Equal("rejected", payload["reason"]!.GetValue<string>());
        Assert.Equal(Finding.GetRawText(), payload["revert"]!.ToJsonString());
        Assert.Equal(ApprovalStatus.Rejected, (await _world.Store.GetAsync(reject.Segments[^1]))!.Status);
    }

    [Fact]
    public async Task When_no_one_decides_before_the_timeout_the_guard_is_asked_to_revert_and_the_link_then_refuses()
    {
        var executionArn = await StartAsync(timeoutSeconds: 2);
        await DeliverApprovalRequestAsync();
        var (email, approve, _) = await ReadApprovalEmailAsync();

        var (status, path, payloads, _) = await OutcomeAsync(executionArn);
        await ApprovalWorld.WaitUntilExpiredAsync((await _world.Store.GetAsync(approve.Segments[^1]))!);
        var late = await BrowseAsync("POST", approve);

        Assert.Contains("the change will be REVERTED automatically", email.Message);
        Assert.Equal(ExecutionStatus.Succeeded, status);
        Assert.Equal(["RequestApproval", "WhatTheTimeoutMeans", "RevertBecauseTimedOut", "Revert", "Reverted"], path);
        Assert.Equal("timeout", Assert.Single(payloads)["reason"]!.GetValue<string>());
        Assert.Equal(403, late.StatusCode);
        Assert.Contains("This link has expired", late.Body);
    }

    [Fact]
    public async Task When_the_policy_says_a_timeout_approves_the_guard_is_asked_to_mark_the_finding_approved()
    {
        var executionArn = await StartAsync(timeoutSeconds: 2, timeoutMeans: TimeoutMeans.Approve);
        await DeliverApprovalRequestAsync();
        var (email, _, _) = await ReadApprovalEmailAsync();

        var (status, path, payloads, _) = await OutcomeAsync(executionArn);

        Assert.Contains("the change will be KEPT", email.Message);
        Assert.Equal(ExecutionStatus.Succeeded, status);
        Assert.Equal(["RequestApproval", "WhatTheTimeoutMeans", "ApproveBecauseTimedOut", "Approve", "Approved"], path);
        var payload = Assert.Single(payloads);
        Assert.Equal("timeout", payload["reason"]!.GetValue<string>());
        Assert.Equal("ev-1:public-ssh", payload["approved"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_decision_step_functions_no_longer_waits_for_is_shown_as_too_late_and_recorded()
    {
        var executionArn = await StartAsync(timeoutSeconds: 2);
        await DeliverApprovalRequestAsync();
        var (_, approve, _) = await ReadApprovalEmailAsync();
        var approval = (await _world.Store.GetAsync(approve.Segments[^1]))!;
        await OutcomeAsync(executionArn);
        // The clock of a callback that ran while the link was still valid, so Step Functions has the last word.
        var whileValid = new FixedClock(approval.CreatedAt.AddSeconds(1));

        var page = await BrowseAsync("POST", approve, whileValid, name: "Alice");

        Assert.Equal(410, page.StatusCode);
        Assert.Contains("Too late: this approval timed out", page.Body);
        var stored = (await _world.Store.GetAsync(approval.ApprovalId))!;
        Assert.Equal(ApprovalStatus.TimedOut, stored.Status);
        Assert.Equal(ApprovalDecision.Approve, stored.LateDecision);
    }

    [Fact]
    public async Task A_revert_that_keeps_failing_is_retried_then_notified_and_fails_the_execution()
    {
        // moto's Docker-backed Lambda knows no function: every invoke answers ResourceNotFound.
        using (var http = new HttpClient())
        using (var config = await http.PostAsync(new Uri(Endpoint, "/moto-api/config"), new StringContent("""{"lambda":{"use_docker":true}}""")))
            config.EnsureSuccessStatusCode();
        var executionArn = await StartAsync();
        await DeliverApprovalRequestAsync();
        var (_, _, reject) = await ReadApprovalEmailAsync();

        await BrowseAsync("POST", reject);
        var (status, path, payloads, execution) = await OutcomeAsync(executionArn);
        var notification = Assert.Single(await _world.NotificationsAsync());

        Assert.Equal(ExecutionStatus.Failed, status);
        Assert.Equal("Lambda.ResourceNotFoundException", execution.Error);
        Assert.Equal(["RequestApproval", "RevertBecauseRejected", "Revert", "NotifyRevertFailed", "RevertFailed"], path);
        Assert.Equal(4, payloads.Count);
        Assert.Equal("DuoQ: a revert failed, the risky change is still in place", notification.Subject);
        Assert.Contains("Reverting the public-ssh finding on sg-0abc failed after retries (why it was reverted: rejected)", notification.Message);
        Assert.Contains("Lambda.ResourceNotFoundException", notification.Message);
        Assert.Contains(executionArn, notification.Message);
    }

    [Fact]
    public async Task A_malformed_approval_request_is_reported_as_a_batch_item_failure_and_the_others_are_emailed()
    {
        var executionArn = await StartAsync();
        var good = Assert.Single(await _world.ReceiveAsync(_world.Stack.ApprovalQueueUrl));
        var requester = new ApprovalRequester(_world.Store, _world.Links, _world.Mailer, ApprovalWorld.Api, TimeProvider.System);

        var response = await requester.HandleAsync(new SqsEvent
        {
            Records =
            [
                new SqsMessage { MessageId = "m-broken", Body = """{"taskToken":""" },
                new SqsMessage { MessageId = good.MessageId, Body = good.Body },
                new SqsMessage { MessageId = "m-no-token", Body = good.Body.Replace("\"taskToken\"", "\"notTheToken\"") },
            ],
        });

        Assert.Equal(["m-broken", "m-no-token"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        var email = Assert.Single(await _world.NotificationsAsync());
        Assert.Contains(executionArn, email.Message);
    }
}
