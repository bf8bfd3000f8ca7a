using System.Globalization;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Instances;

/// <summary>
/// oversized-instance: a launch or resize to a type matching a deny pattern, priced above the
/// policy's $/hour, or with more vCPUs than it allows. Revert stops the instances, never
/// terminates them; every finding shows $/hour and $/month.
/// </summary>
public sealed class OversizedInstanceDetector(InstancePrices prices) : Detector
{
    public OversizedInstanceDetector() : this(InstancePrices.Bundled) { }

    public override Guard Guard => Guard.Instance;
    public override IReadOnlyList<WatchedEvents> Watched { get; } =
        [new("aws.ec2", "ec2.amazonaws.com", ["RunInstances", "ModifyInstanceAttribute"])];
    public override IReadOnlyList<RiskBlock> PolicyBlocks { get; } = [OversizedInstanceSettings.Block];
    public override IReadOnlyList<string> PlanKinds { get; } = [StopInstances.Kind, NothingToRestore.Kind];
    public override IReadOnlyList<string> LookupActions { get; } = ["ec2:DescribeInstances"];
    public override IReadOnlyList<string> ApprovalActions { get; } = ["ec2:CreateTags"];

    protected override DetectionOutcome Inspect(CloudTrailRecord record, GuardPolicy policy, DetectionFacts facts)
    {
        var change = InstanceChange.Read(record);
        if (change.InstanceType is null)
            return Benign(record.EventName == "RunInstances"
                ? "the event does not say the instance type (launch template without a response)"
                : $"changes {record.RequestParameters.Str("attribute") ?? "another attribute"}, not the instance type");

        var settings = policy.OversizedInstance;
        var type = change.InstanceType;
        var price = prices.Find(type);
        var vcpus = price?.Vcpus ?? InstancePrices.EstimateVcpus(type);
        var reasons = new List<string>();
        if (settings.DenyPatterns.FirstOrDefault(pattern => Glob.Matches(pattern, type)) is { } pattern)
            reasons.Add($"matches deny pattern {pattern}");
        if (price is not null && price.UsdPerHour > settings.MaxHourlyUsd)
            reasons.Add($"{Money.Hourly(price.UsdPerHour)} is above the {Money.Hourly(settings.MaxHourlyUsd)} limit");
        if (vcpus > settings.MaxVcpus)
            reasons.Add($"{vcpus} vCPUs is above the {settings.MaxVcpus} vCPU limit");
        var cost = price is null
            ? $"price not in the table{(vcpus is null ? "" : $", ~{vcpus} vCPUs")}"
            : $"{Money.Hourly(price.UsdPerHour * change.Count)}, {Money.Monthly(price.UsdPerMonth * change.Count)}";
        if (reasons.Count == 0)
            return Benign($"{type} ({cost}) is within the policy");

        var ids = change.InstanceIds;
        var what = change.Count > 1 ? $"{change.Count} x {type}" : type;
        var summary = record.EventName == "RunInstances"
            ? $"{what} launched ({cost}{(change.Count > 1 ? " in all" : "")})" + (ids.Count > 0 ? $" as {string.Join(", ", ids)}" : "")
            : $"{ids.FirstOrDefault() ?? "an instance"} resized to {type} ({cost})";

        var found = new Dictionary<string, string>
        {
            ["instanceType"] = type,
            ["vcpus"] = vcpus?.ToString(CultureInfo.InvariantCulture) ?? "unknown",
            ["usdPerHour"] = price is null ? "unknown" : price.UsdPerHour.ToString(CultureInfo.InvariantCulture),
            ["usdPerMonth"] = price is null ? "unknown" : price.UsdPerMonth.ToString("0.00", CultureInfo.InvariantCulture),
            ["instanceCount"] = change.Count.ToString(CultureInfo.InvariantCulture),
            ["why"] = string.Join("; ", reasons),
            ["priceSource"] = $"on-demand Linux us-east-1 list price{(record.AwsRegion == "us-east-1" ? "" : $" (estimate for {record.AwsRegion})")}",
        };
        var severity = price is not null && price.UsdPerHour * change.Count >= settings.MaxHourlyUsd * 10 ? Severity.High : Severity.Medium;
        RevertPlan plan = ids.Count == 0 ? new NothingToRestore("no instance was started") : new StopInstances(ids);
        var resourceId = ids.FirstOrDefault() ?? type;
        var resource = new AffectedResource("AWS::EC2::Instance", resourceId,
            ids.Count == 0 ? null : $"arn:aws:ec2:{record.AwsRegion}:{record.AccountId}:instance/{resourceId}", change.Tags);
        return Found(Finding.From(record, Risk.OversizedInstance, severity, resource, summary, plan, found));
    }
}
