using Amazon.DynamoDBv2;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Core.Audit;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Audit;

public sealed class AuditStoreSpecs(MotoFixture moto) : MotoTest(moto)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private AmazonDynamoDBClient _dynamo = null!;
    private AuditStore _store = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _dynamo = new AmazonDynamoDBClient(TestCredentials.Default, new AmazonDynamoDBConfig { ServiceURL = Endpoint.ToString(), AuthenticationRegion = TestCredentials.Region });
        await AuditTable.EnsureExistsAsync(_dynamo, "duoq-audit");
        _store = new AuditStore(_dynamo, "duoq-audit");
    }

    public override Task DisposeAsync()
    {
        _dynamo.Dispose();
        return Task.CompletedTask;
    }

    private static AuditEntry Entry(string id = "ev-1:public-ssh") => new()
    {
        Id = id, Risk = "public-ssh", Severity = "high", EventId = id.Split(':')[0], EventName = "AuthorizeSecurityGroupIngress",
        EventTime = Noon, Account = "123456789012", Region = "us-east-1",
        ActorArn = "arn:aws:sts::123456789012:assumed-role/QDeveloperAccess/agent", SourceIp = "198.51.100.7", UserAgent = "aws-cli/2 md/q-developer",
        Resource = "sg-0abc", Summary = "port 22 opened to 0.0.0.0/0 on sg-0abc", Decision = "revert", FindingJson = """{"id":"ev-1:public-ssh"}""",
    };

    [Fact]
    public async Task The_first_delivery_takes_the_finding_and_a_second_delivery_finds_it_recorded()
    {
        var first = await _store.TryBeginAsync(Entry(), Noon);
        var second = await _store.TryBeginAsync(Entry(), Noon.AddSeconds(2));

        Assert.IsType<BeginOutcome.Taken>(first);
        var recorded = Assert.IsType<BeginOutcome.AlreadyRecorded>(second);
        Assert.Equal(AuditState.InProgress, recorded.Existing.State);
        Assert.Equal("sg-0abc", recorded.Existing.Resource);
    }

    [Fact]
    public async Task Three_concurrent_deliveries_of_one_event_let_exactly_one_act()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _store.TryBeginAsync(Entry(), Noon)));

        Assert.Single(outcomes, o => o is BeginOutcome.Taken);
        Assert.Equal(2, outcomes.Count(o => o is BeginOutcome.AlreadyRecorded));
    }

    [Fact]
    public async Task A_finished_finding_keeps_what_was_done_and_is_not_taken_again()
    {
        await _store.TryBeginAsync(Entry(), Noon);
        await _store.FinishAsync("ev-1:public-ssh", AuditState.Done, "revoked sgr-0123", "rule removed", Noon.AddSeconds(1));

        var again = await _store.TryBeginAsync(Entry(), Noon.AddHours(1));

        var recorded = Assert.IsType<BeginOutcome.AlreadyRecorded>(again);
        Assert.Equal(AuditState.Done, recorded.Existing.State);
        Assert.Equal("revoked sgr-0123", recorded.Existing.Action);
        Assert.Equal("rule removed", recorded.Existing.Result);
        Assert.Equal("198.51.100.7", recorded.Existing.SourceIp);
    }

    [Fact]
    public async Task A_finding_left_in_progress_by_a_guard_that_died_is_taken_over_after_its_lock_expires()
    {
        await _store.TryBeginAsync(Entry(), Noon);

        var whileLocked = await _store.TryBeginAsync(Entry(), Noon.AddMinutes(1));
        var afterLock = await _store.TryBeginAsync(Entry(), Noon.AddMinutes(6));

        Assert.IsType<BeginOutcome.AlreadyRecorded>(whileLocked);
        Assert.IsType<BeginOutcome.Taken>(afterLock);
    }

    [Fact]
    public async Task Listing_since_a_time_returns_the_findings_recorded_from_then_on()
    {
        await _store.TryBeginAsync(Entry("old:public-ssh"), Noon.AddDays(-3));
        await _store.TryBeginAsync(Entry("new:public-ssh"), Noon);

        var listed = new List<AuditEntry>();
        await foreach (var entry in _store.ListSinceAsync(Noon.AddDays(-1))) listed.Add(entry);

        Assert.Equal(["new:public-ssh"], listed.Select(e => e.Id));
    }
}
