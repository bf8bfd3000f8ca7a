using DuoQServerless.Core.Guards.Instances;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Tests.Reporting;

/// <summary>The report judges running instances by the oversized-instance guard's rules and price table.</summary>
public sealed class InstanceSizingSpecs
{
    private static readonly InstanceSizeJudge Judge = InstanceSizing.Judge(OversizedInstanceSettings.Default, InstancePrices.Bundled);

    [Fact]
    public void A_small_instance_is_within_the_policy()
    {
        Assert.IsType<InstanceSizeVerdict.WithinPolicy>(Judge("t3.micro", "us-east-1"));
    }

    [Fact]
    public void A_24xlarge_is_oversized_by_pattern_price_and_vCPUs_with_its_price()
    {
        var verdict = Assert.IsType<InstanceSizeVerdict.Oversized>(Judge("m5.24xlarge", "us-east-1"));

        Assert.Equal(4.608m, verdict.HourlyUsd);
        Assert.Equal(
            [
                (OversizeRule.Pattern, "matches deny pattern *.24xlarge"),
                (OversizeRule.Price, "$4.608/h is above the $1.00/h limit"),
                (OversizeRule.Vcpu, "96 vCPUs is above the 32 vCPU limit"),
            ],
            verdict.Reasons.Select(r => (r.Rule, r.Detail)));
        Assert.Equal(3363.84m, InstancePricing.Monthly(verdict.HourlyUsd!.Value));
    }

    [Fact]
    public void A_type_the_price_table_lacks_is_judged_by_pattern_and_estimated_vCPUs_without_a_price()
    {
        var verdict = Assert.IsType<InstanceSizeVerdict.Oversized>(Judge("zz9.16xlarge", "us-east-1"));

        Assert.Null(verdict.HourlyUsd);
        Assert.Equal([OversizeRule.Vcpu], verdict.Reasons.Select(r => r.Rule));
    }

    [Fact]
    public void A_stricter_policy_lowers_the_price_limit()
    {
        var strict = InstanceSizing.Judge(OversizedInstanceSettings.Default with { MaxHourlyUsd = 0.05m }, InstancePrices.Bundled);

        var verdict = Assert.IsType<InstanceSizeVerdict.Oversized>(strict("m5.large", "eu-west-1"));

        Assert.Equal(OversizeRule.Price, Assert.Single(verdict.Reasons).Rule);
    }
}
