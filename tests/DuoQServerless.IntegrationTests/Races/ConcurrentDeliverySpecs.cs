using DuoQServerless.Functions.Guards;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Races;

/// <summary>
/// Duplicates and races through the public-SSH guard's real pipeline against moto, deliveries
/// running at the same time in one process (EventBridge delivers at least once, and several
/// sandboxes of one function run side by side). Cli/ReplaySpecs covers the same event replayed
/// one after another; here the copies race each other.
/// </summary>
public sealed class ConcurrentDeliverySpecs(MotoFixture moto) : MotoTest(moto)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);
    private SshGuardWorld _world = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _world = await SshGuardWorld.CreateAsync(Endpoint);
    }

    public override Task DisposeAsync()
    {
        _world.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_same_event_delivered_three_times_at_once_revokes_once_records_once_and_notifies_once()
    {
        var (groupId, ruleId) = await _world.SeedWorldOpenSshAsync();
        var @event = SshGuardWorld.RiskyEvent(groupId, ruleId);

        var reports = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => _world.DeliverAsync(@event))));

        Assert.Equal([GuardStatus.Done, GuardStatus.Duplicate, GuardStatus.Duplicate], reports.Select(r => r.Status).Order(StringComparer.Ordinal).ToArray());
        Assert.Empty(await _world.WorldOpenSshRulesAsync(groupId));
        Assert.Single(_world.Revokes);
        var item = Assert.Single(await _world.AuditItemsAsync());
        Assert.Equal("Done", item["state"].S);
        Assert.Contains(ruleId, item["result"].S);
        var mail = Assert.Single(await _world.NotificationsAsync(Quiet));
        Assert.Contains(groupId, mail);
    }

    [Fact]
    public async Task Two_different_events_for_the_same_rule_within_a_second_are_both_recorded_and_the_rule_is_revoked_once()
    {
        var (groupId, ruleId) = await _world.SeedWorldOpenSshAsync();
        var first = SshGuardWorld.RiskyEvent(groupId, ruleId, eventId: "11111111-aaaa-4aaa-8aaa-000000000001");
        var second = SshGuardWorld.RiskyEvent(groupId, ruleId, eventId: "11111111-aaaa-4aaa-8aaa-000000000002");

        var reports = await Task.WhenAll(Task.Run(() => _world.DeliverAsync(first)), Task.Run(() => _world.DeliverAsync(second)));

        Assert.Equal([GuardStatus.AlreadyDone, GuardStatus.Done], reports.Select(r => r.Status).Order(StringComparer.Ordinal).ToArray());
        Assert.Empty(await _world.WorldOpenSshRulesAsync(groupId));
        Assert.Single(_world.Revokes);
        var items = await _world.AuditItemsAsync();
        Assert.Equal(2, items.Count);
        Assert.All(items, item => Assert.Equal("Done", item["state"].S));
        Assert.Single(items, item => item["result"].S.StartsWith("revoked", StringComparison.Ordinal));
        Assert.Single(items, item => item["result"].S.Contains("already revoked", StringComparison.Ordinal));
        Assert.Equal(2, (await _world.NotificationsAsync(Quiet)).Count);
    }
}
