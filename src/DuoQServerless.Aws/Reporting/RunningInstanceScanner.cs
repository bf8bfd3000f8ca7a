using Amazon.EC2;
using Amazon.EC2.Model;
using DuoQServerless.Core.Guards.Instances;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Aws.Reporting;

/// <summary>
/// Running instances the size/price policy calls oversized, with their $/hour and $/month.
/// <paramref name="judge"/> is the policy (the guard's price table and thresholds); stopped
/// instances cost no compute and are not listed. Instances tagged exempt or approved are listed apart.
/// </summary>
public sealed class RunningInstanceScanner(
    Func<string, IAmazonEC2> ec2For,
    InstanceSizeJudge judge,
    AcceptancePolicy? acceptance = null,
    int? pageSize = null) : IAccountScanner
{
    private readonly AcceptancePolicy _acceptance = acceptance ?? AcceptancePolicy.Default;

    public string Name => "running instances";

    public ScanReach Reach => ScanReach.Regional;

    public async Task<ScanFindings> ScanAsync(string region, CancellationToken cancellationToken)
    {
        using var ec2 = ec2For(region);
        var oversized = new List<OversizedInstance>();
        var accepted = new List<AcceptedResource>();
        var request = new DescribeInstancesRequest
        {
            Filters = [new Filter("instance-state-name", ["running"])],
            MaxResults = pageSize,
        };
        await foreach (var reservation in ec2.Paginators.DescribeInstances(request).Reservations.WithCancellation(cancellationToken))
        {
            foreach (var instance in reservation.Instances ?? [])
            {
                var type = instance.InstanceType?.Value ?? "";
                var judged = judge(type, region);
                switch (judged)
                {
                    case InstanceSizeVerdict.WithinPolicy:
                        continue;
                    case InstanceSizeVerdict.Oversized verdict:
                        var found = new OversizedInstance(
                            instance.InstanceId, type, region,
                            verdict.HourlyUsd, verdict.HourlyUsd is { } hourly ? InstancePricing.Monthly(hourly) : null,
                            Utc(instance.LaunchTime), verdict.Reasons);
                        if (_acceptance.Accept(Ec2Tags.Of(instance.Tags)) is { } accept)
                            accepted.Add(accept.For(ExposureKind.OversizedInstance, instance.InstanceId, NameTag(instance), region, Exposure(found)));
                        else
                            oversized.Add(found);
                        break;
                    default:
                        throw new InvalidOperationException($"unknown instance size verdict {judged}");
                }
            }
        }
        return new ScanFindings { Exposed = new ExposedNow { OversizedInstances = oversized }, Accepted = accepted };
    }

    private static string Exposure(OversizedInstance i) =>
        i.HourlyUsd is { } h ? $"{i.InstanceType} running at {Money.Hourly(h)}" : $"{i.InstanceType} running";

    private static string? NameTag(Instance instance) =>
        instance.Tags?.FirstOrDefault(t => t.Key == "Name")?.Value;

    /// <summary>The SDK parses timestamps as UTC but may mark them Unspecified; the report says UTC.</summary>
    private static DateTimeOffset? Utc(DateTime? time) => time switch
    {
        null => null,
        { Kind: DateTimeKind.Local } t => new DateTimeOffset(t.ToUniversalTime()),
        { } t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
    };
}
