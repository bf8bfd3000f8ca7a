using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Guards.Instances;

namespace DuoQServerless.Core.Reporting;

/// <summary>
/// The size/price policy as the instance scanner asks it: is this instance type oversized in
/// this region, and what does it cost. <see cref="InstanceSizing.Judge"/> builds it from the
/// guard's settings and price table; tests may pass their own.
/// </summary>
public delegate InstanceSizeVerdict InstanceSizeJudge(string instanceType, string region);

/// <summary>The policy's answer for one instance type. Closed: within policy, or oversized with reasons.</summary>
public abstract record InstanceSizeVerdict
{
    private InstanceSizeVerdict() { }

    public sealed record WithinPolicy : InstanceSizeVerdict;

    /// <summary>Over the policy; the on-demand price when the price table knows the type.</summary>
    public sealed record Oversized(decimal? HourlyUsd, IReadOnlyList<OversizeReason> Reasons) : InstanceSizeVerdict;
}

public static class InstanceSizing
{
    /// <summary>
    /// The oversized-instance guard's rules over a running instance: a deny pattern, an hourly price
    /// above the limit, or more vCPUs than allowed (from the table, else estimated from the size).
    /// The table holds one region's prices, so the region does not change the answer.
    /// </summary>
    public static InstanceSizeJudge Judge(OversizedInstanceSettings settings, InstancePrices prices) => (type, _) =>
    {
        var price = prices.Find(type);
        var vcpus = price?.Vcpus ?? InstancePrices.EstimateVcpus(type);
        var reasons = new List<OversizeReason>();
        if (settings.DenyPatterns.FirstOrDefault(pattern => Glob.Matches(pattern, type)) is { } pattern)
            reasons.Add(new OversizeReason(OversizeRule.Pattern, $"matches deny pattern {pattern}"));
        if (price is not null && price.UsdPerHour > settings.MaxHourlyUsd)
            reasons.Add(new OversizeReason(OversizeRule.Price, $"{Money.Hourly(price.UsdPerHour)} is above the {Money.Hourly(settings.MaxHourlyUsd)} limit"));
        if (vcpus > settings.MaxVcpus)
            reasons.Add(new OversizeReason(OversizeRule.Vcpu, $"{vcpus} vCPUs is above the {settings.MaxVcpus} vCPU limit"));
        return reasons.Count == 0
            ? new InstanceSizeVerdict.WithinPolicy()
            : new InstanceSizeVerdict.Oversized(price?.UsdPerHour, reasons);
    };
}

public static class InstancePricing
{
    /// <summary>A month of on-demand time, to the cent (AWS prices a month as 730 hours).</summary>
    public static decimal Monthly(decimal hourlyUsd) =>
        Math.Round(hourlyUsd * InstancePrice.HoursPerMonth, 2, MidpointRounding.AwayFromZero);
}
