using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Core.Approval;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Approval;

public sealed class ApprovalStoreSpecs(MotoFixture moto) : MotoTest(moto)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private ApprovalWorld _world = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _world = await ApprovalWorld.CreateAsync(Endpoint);
    }

    public override Task DisposeAsync()
    {
        _world.Dispose();
        return Task.CompletedTask;
    }

    internal static ApprovalRecord Pending(string? id = null, DateTimeOffset? createdAt = null) => new()
    {
        ApprovalId = id ?? ApprovalIds.New(),
        TaskToken = "AAAAKgAAAAIAAAAAAAAAAf+token/with+plus==",
        ExecutionArn = "arn:aws:states:us-east-1:123456789012:execution:duoq-approval:ev-1",
        GuardFunctionArn = ApprovalWorld.GuardArn,
        Summary = new ApprovalSummary
        {
            Risk = "public-ssh", Resource = "sg-0abc", Actor = "arn:aws:sts::123456789012:assumed-role/QDeveloperAccess/agent",
            SourceIp = "198.51.100.7", UserAgent = "aws-cli/2 md/q-developer", Summary = "port 22 opened to 0.0.0.0/0 on sg-0abc",
        },
        FindingJson = """{"id":"ev-1:public-ssh"}""",
        TimeoutMeans = TimeoutMeans.Revert,
        CreatedAt = createdAt ?? Noon,
        ExpiresAt = (createdAt ?? Noon).AddHours(1),
    };

    private static Decider Alice(DateTimeOffset at) => new("Alice", "203.0.113.9", "Mozilla/5.0", at);

    [Fact]
    public async Task A_new_approval_is_pending_and_keeps_its_task_token_and_finding()
    {
        var approval = Pending();

        await _world.Store.CreateAsync(approval);
        var stored = await _world.Store.GetAsync(approval.ApprovalId);

        Assert.NotNull(stored);
        Assert.Equal(ApprovalStatus.Pending, stored.Status);
        Assert.Equal("AAAAKgAAAAIAAAAAAAAAAf+token/with+plus==", stored.TaskToken);
        Assert.Equal("sg-0abc", stored.Summary.Resource);
        Assert.Equal(Noon.AddHours(1), stored.ExpiresAt);
        Assert.Equal("""{"id":"ev-1:public-ssh"}""", stored.FindingJson);
    }

    [Fact]
    public async Task The_approval_is_an_item_of_the_audit_table_with_a_prefixed_id_and_a_ttl()
    {
        var approval = Pending();
        await _world.Store.CreateAsync(approval);

        var item = (await _world.Dynamo.GetItemAsync(_world.Stack.AuditTable, new() { ["id"] = new AttributeValue { S = $"approval#{approval.ApprovalId}" } })).Item;

        Assert.Equal("Pending", item["approvalStatus"].S);
        Assert.Equal((Noon.AddHours(1) + TimeSpan.FromDays(400)).ToUnixTimeSeconds().ToString(), item["expiresAt"].N);
    }

    [Fact]
    public async Task Approvals_never_show_up_in_the_audit_listing_of_findings()
    {
        await _world.Store.CreateAsync(Pending());
        var audit = new AuditStore(_world.Dynamo, _world.Stack.AuditTable);

        var listed = new List<Core.Audit.AuditEntry>();
        await foreach (var entry in audit.ListSinceAsync(Noon.AddDays(-1))) listed.Add(entry);

        Assert.Empty(listed);
    }

    [Fact]
    public async Task The_first_decision_is_recorded_with_who_and_from_where_and_a_second_finds_it_decided()
    {
        var approval = Pending();
        await _world.Store.CreateAsync(approval);

        var first = await _world.Store.TryDecideAsync(approval.ApprovalId, ApprovalDecision.Approve, Alice(Noon.AddMinutes(5)));
        var second = await _world.Store.TryDecideAsync(approval.ApprovalId, ApprovalDecision.Reject, new Decider("Bob", "192.0.2.1", null, Noon.AddMinutes(6)));

        var decided = Assert.IsType<DecideOutcome.Decided>(first).Record;
        Assert.Equal(ApprovalStatus.Approved, decided.Status);
        var already = Assert.IsType<DecideOutcome.AlreadyDecided>(second).Record;
        Assert.Equal(ApprovalStatus.Approved, already.Status);
        Assert.Equal("Alice", already.DecidedBy);
        Assert.Equal("203.0.113.9", already.DecidedFromIp);
        Assert.Equal("Mozilla/5.0", already.DecidedUserAgent);
        Assert.Equal(Noon.AddMinutes(5), already.DecidedAt);
    }

    [Fact]
    public async Task A_decision_after_the_deadline_is_refused_and_the_approval_stays_pending()
    {
        var approval = Pending();
        await _world.Store.CreateAsync(approval);

        var outcome = await _world.Store.TryDecideAsync(approval.ApprovalId, ApprovalDecision.Approve, Alice(Noon.AddHours(1)));

        Assert.IsType<DecideOutcome.PastDeadline>(outcome);
        Assert.Equal(ApprovalStatus.Pending, (await _world.Store.GetAsync(approval.ApprovalId))!.Status);
    }

    [Fact]
    public async Task A_decision_on_an_unknown_approval_finds_nothing_and_creates_nothing()
    {
        var id = ApprovalIds.New();

        var outcome = await _world.Store.TryDecideAsync(id, ApprovalDecision.Approve, Alice(Noon));

        Assert.IsType<DecideOutcome.NotFound>(outcome);
        Assert.Null(await _world.Store.GetAsync(id));
    }

    [Fact]
    public async Task A_decision_that_came_too_late_leaves_the_approval_timed_out_with_the_late_decision()
    {
        var approval = Pending();
        await _world.Store.CreateAsync(approval);
        var decided = ((DecideOutcome.Decided)await _world.Store.TryDecideAsync(approval.ApprovalId, ApprovalDecision.Reject, Alice(Noon.AddMinutes(1)))).Record;

        var late = await _world.Store.RecordTooLateAsync(decided, Noon.AddMinutes(1));

        Assert.Equal(ApprovalStatus.TimedOut, late.Status);
        Assert.Equal(ApprovalDecision.Reject, late.LateDecision);
        Assert.IsType<DecideOutcome.AlreadyDecided>(await _world.Store.TryDecideAsync(approval.ApprovalId, ApprovalDecision.Approve, Alice(Noon.AddMinutes(2))));
    }

    [Fact]
    public async Task An_undone_decision_is_pending_again_and_can_be_decided_again()
    {
        var approval = Pending();
        await _world.Store.CreateAsync(approval);
        var decided = ((DecideOutcome.Decided)await _world.Store.TryDecideAsync(approval.ApprovalId, ApprovalDecision.Approve, Alice(Noon.AddMinutes(1)))).Record;

        var undone = await _world.Store.UndoDecisionAsync(decided, Noon.AddMinutes(1));
        var again = await _world.Store.TryDecideAsync(approval.ApprovalId, ApprovalDecision.Approve, Alice(Noon.AddMinutes(2)));

        Assert.Equal(ApprovalStatus.Pending, undone.Status);
        Assert.Null(undone.DecidedBy);
        Assert.IsType<DecideOutcome.Decided>(again);
    }

    [Fact]
    public async Task Creating_an_approval_with_an_id_in_use_never_overwrites_its_token()
    {
        var approval = Pending();
        await _world.Store.CreateAsync(approval);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _world.Store.CreateAsync(approval with { TaskToken = "someone-else" }));

        Assert.Equal(approval.TaskToken, (await _world.Store.GetAsync(approval.ApprovalId))!.TaskToken);
    }

    [Fact]
    public void The_summary_json_round_trips_the_cost()
    {
        var summary = Pending().Summary with { CostPerHour = 3.06m };

        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(summary, ApprovalJson.Default.ApprovalSummary), ApprovalJson.Default.ApprovalSummary);

        Assert.Equal(summary, back);
    }
}
