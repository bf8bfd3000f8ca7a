using System.Text.Json;
using System.Web;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Core.Approval;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Approval;

/// <summary>
/// The callback against moto: the approval store in its DynamoDB, and an execution of the real
/// state machine waiting on the stored task token, so what Step Functions was told is read from
/// the execution. Only "Step Functions unavailable" is simulated (moto cannot be made to throttle).
/// </summary>
public sealed class ApprovalCallbackSpecs(MotoFixture moto) : MotoTest(moto)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Noon.AddMinutes(10));
    private ApprovalWorld _world = null!;
    private ApprovalCallback _callback = null!;
    private ApprovalRecord _approval = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _world = await ApprovalWorld.CreateAsync(Endpoint);
        _callback = new ApprovalCallback(_world.Store, _world.Callbacks, _world.Links, _clock);
        _approval = await _world.CreateWaitingApprovalAsync(ApprovalStoreSpecs.Pending(createdAt: Noon));
    }

    public override async Task DisposeAsync()
    {
        if (_approval is not null) await _world.EndIfWaitingAsync(_approval.ExecutionArn);
        _world?.Dispose();
    }

    private Uri Link(ApprovalDecision decision, DateTimeOffset? expiresAt = null, string? id = null) =>
        _world.Links.Create(ApprovalWorld.Api, id ?? _approval.ApprovalId, decision, expiresAt ?? _approval.ExpiresAt);

    private Task<CallbackResponse> Open(string method, Uri link, string? name = null, string? approvalId = null, ApprovalCallback? callback = null)
    {
        var query = HttpUtility.ParseQueryString(link.Query);
        return (callback ?? _callback).HandleAsync(new CallbackRequest
        {
            Method = method,
            ApprovalId = approvalId ?? link.Segments[^1],
            Query = query.AllKeys.ToDictionary(k => k!, k => query[k]!),
            Form = name is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ApprovalPages.DecidedByField] = name },
            SourceIp = "203.0.113.9",
            UserAgent = "Mozilla/5.0 (X11; Linux x86_64)",
        });
    }

    private static Uri With(Uri link, string name, string value)
    {
        var builder = new UriBuilder(link);
        var query = HttpUtility.ParseQueryString(builder.Query);
        query[name] = value;
        builder.Query = query.ToString();
        return builder.Uri;
    }

    private async Task AssertNothingDecided()
    {
        Assert.Equal(ExecutionStatus.Running, await _world.StatusAsync(_approval.ExecutionArn));
        Assert.DoesNotContain(await _world.HistoryAsync(_approval.ExecutionArn), e => e.Type is "TaskSucceeded" or "TaskFailed");
        Assert.Equal(ApprovalStatus.Pending, (await _world.Store.GetAsync(_approval.ApprovalId))!.Status);
    }

    /// <summary>What the waiting task was completed with, once the execution has ended.</summary>
    private async Task<HistoryEvent> CallbackReceivedAsync()
    {
        var trace = await _world.WaitForEndAsync(_approval.ExecutionArn);
        return Assert.Single(trace.Callbacks);
    }

    [Fact]
    public async Task Opening_a_link_shows_the_finding_and_a_button_and_decides_nothing()
    {
        var page = await Open("GET", Link(ApprovalDecision.Approve));

        Assert.Equal(200, page.StatusCode);
        Assert.Contains("Approve this change?", page.Body);
        Assert.Contains("sg-0abc", page.Body);
        Assert.Contains("assumed-role/QDeveloperAccess/agent", page.Body);
        await AssertNothingDecided();
    }

    [Fact]
    public async Task Posting_an_approve_link_sends_task_success_with_the_stored_token_and_records_who_decided()
    {
        var page = await Open("POST", Link(ApprovalDecision.Approve), name: "Alice");

        Assert.Equal(200, page.StatusCode);
        Assert.Contains("<h1>Approved</h1>", page.Body);
        var call = await CallbackReceivedAsync();
        Assert.Equal("TaskSucceeded", call.Type);
        using var output = JsonDocument.Parse(call.Detail("output")!);
        Assert.Equal(_approval.ApprovalId, output.RootElement.GetProperty("approvalId").GetString());
        Assert.Equal("Alice", output.RootElement.GetProperty("decidedBy").GetString());
        Assert.Equal("approved", output.RootElement.GetProperty("reason").GetString());
        var stored = (await _world.Store.GetAsync(_approval.ApprovalId))!;
        Assert.Equal(ApprovalStatus.Approved, stored.Status);
        Assert.Equal("Alice", stored.DecidedBy);
        Assert.Equal("203.0.113.9", stored.DecidedFromIp);
        Assert.Equal(_clock.Now, stored.DecidedAt);
    }

    [Fact]
    public async Task Posting_a_reject_link_sends_task_failure_with_error_Rejected()
    {
        var page = await Open("POST", Link(ApprovalDecision.Reject));

        Assert.Contains("<h1>Rejected</h1>", page.Body);
        var call = await CallbackReceivedAsync();
        Assert.Equal("TaskFailed", call.Type);
        Assert.Equal("Rejected", call.Detail("error"));
        // moto 5.2.1 drops SendTaskFailure's cause (it reads only the token and the error), so who
        // rejected is read from the record.
        var stored = (await _world.Store.GetAsync(_approval.ApprovalId))!;
        Assert.Equal(ApprovalStatus.Rejected, stored.Status);
        Assert.Equal(ApprovalCallback.Anonymous, stored.DecidedBy);
    }

    [Fact]
    public async Task A_forged_signature_gets_403_and_decides_nothing()
    {
        var link = Link(ApprovalDecision.Approve);
        var sig = HttpUtility.ParseQueryString(link.Query)["sig"]!;

        var page = await Open("POST", With(link, "sig", (sig[0] == 'A' ? 'B' : 'A') + sig[1..]));

        Assert.Equal(403, page.StatusCode);
        Assert.Contains("not valid", page.Body);
        await AssertNothingDecided();
    }

    [Fact]
    public async Task Turning_a_reject_link_into_an_approve_link_gets_403_and_decides_nothing()
    {
        var page = await Open("POST", With(Link(ApprovalDecision.Reject), "d", "approve"));

        Assert.Equal(403, page.StatusCode);
        await AssertNothingDecided();
    }

    [Fact]
    public async Task A_signature_moved_to_another_approval_gets_403_and_decides_nothing()
    {
        var other = ApprovalStoreSpecs.Pending(createdAt: Noon) with { TaskToken = _approval.TaskToken, ExecutionArn = _approval.ExecutionArn };
        await _world.Store.CreateAsync(other);

        var page = await Open("POST", Link(ApprovalDecision.Approve), approvalId: other.ApprovalId);

        Assert.Equal(403, page.StatusCode);
        Assert.Equal(ApprovalStatus.Pending, (await _world.Store.GetAsync(other.ApprovalId))!.Status);
        await AssertNothingDecided();
    }

    [Fact]
    public async Task An_expired_link_gets_403_saying_it_expired_and_decides_nothing()
    {
        var link = Link(ApprovalDecision.Approve);
        _clock.Now = _approval.ExpiresAt.AddSeconds(1);

        var page = await Open("POST", link);

        Assert.Equal(403, page.StatusCode);
        Assert.Contains("This link has expired", page.Body);
        await AssertNothingDecided();
    }

    [Fact]
    public async Task A_second_post_shows_who_decided_and_when_and_sends_nothing_again()
    {
        await Open("POST", Link(ApprovalDecision.Approve), name: "Alice");
        _clock.Now = _clock.Now.AddMinutes(3);

        var second = await Open("POST", Link(ApprovalDecision.Reject), name: "Bob");

        Assert.Equal(409, second.StatusCode);
        Assert.Contains("already approved by Alice (from 203.0.113.9) at 2026-11-24 12:10:00 UTC", second.Body);
        Assert.Equal("TaskSucceeded", (await CallbackReceivedAsync()).Type);
    }

    [Fact]
    public async Task A_post_after_the_execution_stopped_waiting_says_it_came_too_late_and_records_that()
    {
        var timedOut = await _world.CreateWaitingApprovalAsync(ApprovalStoreSpecs.Pending(createdAt: Noon), timeoutSeconds: 1);
        var ended = await _world.WaitForEndAsync(timedOut.ExecutionArn);

        var page = await Open("POST", Link(ApprovalDecision.Approve, id: timedOut.ApprovalId), name: "Alice");

        Assert.Contains("RevertBecauseTimedOut", ended.Path);
        Assert.Equal(410, page.StatusCode);
        Assert.Contains("Too late: this approval timed out", page.Body);
        Assert.Contains("the change was reverted", page.Body);
        var stored = (await _world.Store.GetAsync(timedOut.ApprovalId))!;
        Assert.Equal(ApprovalStatus.TimedOut, stored.Status);
        Assert.Equal(ApprovalDecision.Approve, stored.LateDecision);
    }

    [Fact]
    public async Task When_step_functions_cannot_be_reached_nothing_is_decided_and_pressing_again_works()
    {
        var throttled = new RecordingTaskCallbacks { Answer = TaskCallbackOutcome.FromErrorCode("ThrottlingException", "Rate exceeded") };
        var first = await Open("POST", Link(ApprovalDecision.Approve), callback: new ApprovalCallback(_world.Store, throttled, _world.Links, _clock));
        var afterFirst = (await _world.Store.GetAsync(_approval.ApprovalId))!.Status;

        var second = await Open("POST", Link(ApprovalDecision.Approve));

        Assert.Equal(503, first.StatusCode);
        Assert.Equal(ApprovalStatus.Pending, afterFirst);
        Assert.Equal(_approval.TaskToken, Assert.Single(throttled.Calls).TaskToken);
        Assert.Equal(200, second.StatusCode);
        Assert.Equal("TaskSucceeded", (await CallbackReceivedAsync()).Type);
        Assert.Equal(ApprovalStatus.Approved, (await _world.Store.GetAsync(_approval.ApprovalId))!.Status);
    }

    [Fact]
    public async Task A_validly_signed_link_for_an_approval_not_on_record_gets_404()
    {
        var page = await Open("POST", Link(ApprovalDecision.Approve, id: ApprovalIds.New()));

        Assert.Equal(404, page.StatusCode);
        await AssertNothingDecided();
    }

    [Fact]
    public async Task Methods_other_than_get_and_post_are_refused()
    {
        var page = await Open("DELETE", Link(ApprovalDecision.Approve));

        Assert.Equal(405, page.StatusCode);
        Assert.Equal("GET, POST", page.Headers["Allow"]);
        await AssertNothingDecided();
    }
}
