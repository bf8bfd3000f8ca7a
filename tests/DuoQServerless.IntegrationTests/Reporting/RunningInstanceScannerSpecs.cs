using DuoQServerless.Aws.Reporting;
using DuoQServerless.Core.Reporting;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Reporting;

public sealed class RunningInstanceScannerSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const string Region = TestCredentials.Region;
    private SeededAccount Account => new(Endpoint);

    private RunningInstanceScanner Scanner(int? pageSize = null) => new(Account.Ec2, SeededAccount.DefaultSizing, pageSize: pageSize);

    [Fact]
    public async Task An_oversized_running_instance_is_listed_with_its_price_per_hour_and_per_month()
    {
        await Account.InstanceAsync(Region, "t3.micro");
        var big = await Account.InstanceAsync(Region, "m5.24xlarge");

        var found = await Scanner().ScanAsync(Region, CancellationToken.None);

        var instance = Assert.Single(found.Exposed.OversizedInstances);
        Assert.Equal((big, "m5.24xlarge", Region, 4.608m, 3363.84m), (instance.InstanceId, instance.InstanceType, instance.Region, instance.HourlyUsd, instance.MonthlyUsd));
        Assert.Equal([OversizeRule.Pattern, OversizeRule.Price, OversizeRule.Vcpu], instance.Reasons.Select(r => r.Rule));
        Assert.InRange(instance.LaunchTime!.Value, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task A_stopped_oversized_instance_costs_no_compute_and_is_not_listed()
    {
        await Account.InstanceAsync(Region, "m5.24xlarge", running: false);

        var found = await Scanner().ScanAsync(Region, CancellationToken.None);

        Assert.Empty(found.Exposed.OversizedInstances);
        Assert.Empty(found.Accepted);
    }

    [Fact]
    public async Task An_approved_oversized_instance_is_listed_apart_with_who_approved()
    {
        var approved = await Account.InstanceAsync(Region, "m5.24xlarge", running: true, ("duoq:approved", "true"), ("duoq:approved-by", "bob@example.com"), ("Name", "training"));

        var found = await Scanner().ScanAsync(Region, CancellationToken.None);

        Assert.Empty(found.Exposed.OversizedInstances);
        var accepted = Assert.Single(found.Accepted);
        Assert.Equal((approved, "training", AcceptanceKind.Approved, "bob@example.com", "m5.24xlarge running at $4.608/h"),
            (accepted.ResourceId, accepted.Name, accepted.Acceptance, accepted.ApprovedBy, accepted.Exposure));
    }

    [Fact]
    public async Task Every_page_of_instances_is_read()
    {
        var big = new List<string>();
        for (var i = 0; i < 7; i++) big.Add(await Account.InstanceAsync(Region, "m5.24xlarge"));

        var found = await Scanner(pageSize: 5).ScanAsync(Region, CancellationToken.None);

        Assert.Equal(big.Order(StringComparer.Ordinal), found.Exposed.OversizedInstances.Select(i => i.InstanceId).Order(StringComparer.Ordinal));
    }
}
