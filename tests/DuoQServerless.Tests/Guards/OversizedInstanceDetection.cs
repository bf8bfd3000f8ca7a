using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Guards.Instances;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Tests.Guards;

public class OversizedInstanceDetection
{
    private static DetectionOutcome Launch(string type, GuardPolicy? policy = null, int count = 1)
    {
        var items = string.Join(",", Enumerable.Range(1, count).Select(n => $$"""{"instanceId": "i-0{{n}}", "instanceType": "{{type}}"}"""));
        return Detectors.OversizedInstance.Detect(TestRecords.Ec2("RunInstances",
            $$$"""{"instanceType": "{{{type}}}", "instancesSet": {"items": [{"imageId": "ami-1", "minCount": {{{count}}}, "maxCount": {{{count}}}}]}}""",
            $$$"""{"instancesSet": {"items": [{{{items}}}]}}"""), policy ?? GuardPolicy.Default);
    }

    private static GuardPolicy Policy(string yaml) => Assert.IsType<PolicyLoad.Loaded>(GuardPolicy.Parse(yaml)).Policy;

    [Fact]
    public void An_m5_24xlarge_launch_is_stopped_and_shows_its_hourly_and_monthly_price()
    {
        var finding = Assert.IsType<DetectionOutcome.Detected>(Launch("m5.24xlarge")).Finding;
        Assert.Equal("m5.24xlarge launched ($4.608/h, $3,363.84/month) as i-01", finding.Summary);
        Assert.Equal(new[] { "i-01" }, Assert.IsType<StopInstances>(finding.Revert).InstanceIds);
        Assert.Equal("4.608", finding.Facts["usdPerHour"]);
        Assert.Equal("3363.84", finding.Facts["usdPerMonth"]);
        Assert.Equal("96", finding.Facts["vcpus"]);
        Assert.Contains("*.24xlarge", finding.Facts["why"]);
    }

    [Fact]
    public void A_t3_micro_launch_is_benign() =>
        Assert.Contains("$0.0104/h", Assert.IsType<DetectionOutcome.Benign>(Launch("t3.micro")).Reason);

    [Theory]
    [InlineData("m5.4xlarge")]   // $0.768/h, 16 vCPUs
    [InlineData("c6i.4xlarge")]  // $0.68/h
    [InlineData("g5.xlarge")]    // $1.006/h: just above
    public void The_price_threshold_separates_sizes(string type)
    {
        var above = InstancePrices.Bundled.Find(type)!.UsdPerHour > 1.00m;
        Assert.Equal(above ? "finding" : "benign", Launch(type).Name);
    }

    [Fact]
    public void A_lower_hourly_limit_in_the_policy_flags_a_cheaper_type()
    {
        Assert.IsType<DetectionOutcome.Benign>(Launch("m5.2xlarge"));
        Assert.IsType<DetectionOutcome.Detected>(Launch("m5.2xlarge", Policy("risks: { oversized-instance: { maxHourlyUsd: 0.25 } }")));
    }

    [Fact]
    public void The_vcpu_limit_counts_even_for_types_missing_from_the_price_table()
    {
        var finding = Assert.IsType<DetectionOutcome.Detected>(Launch("x2iedn.16xlarge")).Finding;
        Assert.Contains("64 vCPUs is above the 32 vCPU limit", finding.Facts["why"]);
        Assert.Equal("unknown", finding.Facts["usdPerHour"]);
        Assert.IsType<DetectionOutcome.Benign>(Launch("x2iedn.xlarge"));
    }

    [Theory]
    [InlineData("m5.metal")]
    [InlineData("p4d.24xlarge")]
    [InlineData("p3.2xlarge")]
    [InlineData("m7i.metal-48xl")]
    public void Deny_patterns_flag_metal_and_gpu_families(string type) =>
        Assert.Contains("deny pattern", Assert.IsType<DetectionOutcome.Detected>(Launch(type)).Finding.Facts["why"]);

    [Fact]
    public void Several_instances_of_one_launch_are_priced_together_and_all_stopped()
    {
        var finding = Assert.IsType<DetectionOutcome.Detected>(Launch("c5.9xlarge", count: 3)).Finding;
        Assert.Equal("3 x c5.9xlarge launched ($4.59/h, $3,350.70/month in all) as i-01, i-02, i-03", finding.Summary);
        Assert.Equal(3, Assert.IsType<StopInstances>(finding.Revert).InstanceIds.Count);
    }

    [Theory]
    [InlineData("""{"instanceId": "i-0a", "instanceType": {"value": "r5.8xlarge"}}""", "finding")]
    [InlineData("""{"instanceId": "i-0a", "attribute": "instanceType", "value": "r5.8xlarge"}""", "finding")]
    [InlineData("""{"instanceId": "i-0a", "instanceType": {"value": "r5.large"}}""", "benign")]
    [InlineData("""{"instanceId": "i-0a", "attribute": "userData", "value": "<sensitiveDataRemoved>"}""", "benign")]
    public void A_resize_is_judged_by_the_new_type(string request, string outcome) =>
        Assert.Equal(outcome, Detectors.OversizedInstance.Detect(TestRecords.Ec2("ModifyInstanceAttribute", request), GuardPolicy.Default).Name);

    [Fact]
    public void Tags_set_by_the_launch_are_on_the_finding_for_exemption()
    {
        var record = TestRecords.Ec2("RunInstances",
            """{"instanceType": "m5.24xlarge", "tagSpecificationSet": {"items": [{"resourceType": "instance", "tags": [{"key": "duoq:exempt", "value": "true"}]}, {"resourceType": "volume", "tags": [{"key": "v", "value": "1"}]}]}}""",
            """{"instancesSet": {"items": [{"instanceId": "i-0a", "instanceType": "m5.24xlarge"}]}}""");
        var finding = Assert.IsType<DetectionOutcome.Detected>(Detectors.OversizedInstance.Detect(record, GuardPolicy.Default)).Finding;
        Assert.Equal(new Dictionary<string, string> { ["duoq:exempt"] = "true" }, finding.Resource.Tags);
    }

    [Fact]
    public void The_price_table_holds_the_required_families_with_vcpus()
    {
        var families = InstancePrices.Bundled.All.Select(price => price.InstanceType.Split('.')[0]).ToHashSet();
        foreach (var family in new[] { "m5", "m6i", "m7i", "c5", "c6i", "r5", "r6i", "t3", "p3", "p4d", "g5" })
            Assert.Contains(family, families);
        Assert.Equal(new InstancePrice("m5.24xlarge", 96, 4.608m), InstancePrices.Bundled.Find("m5.24xlarge"));
        Assert.All(InstancePrices.Bundled.All, price => Assert.True(price.Vcpus > 0 && price.UsdPerHour > 0, price.InstanceType));
    }

    [Theory]
    [InlineData("m5.large", 2)]
    [InlineData("m5.xlarge", 4)]
    [InlineData("m5.24xlarge", 96)]
    [InlineData("m5.metal", null)]
    public void Vcpus_are_estimated_from_the_size_name_like_the_table_says(string type, int? vcpus)
    {
        Assert.Equal(vcpus, InstancePrices.EstimateVcpus(type));
        if (vcpus is not null) Assert.Equal(vcpus, InstancePrices.Bundled.Find(type)!.Vcpus);
    }
}
