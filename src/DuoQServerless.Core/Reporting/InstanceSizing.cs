using System.Globalization;

namespace DuoQServerless.Core.Reporting;

/// <summary>
/// The size/price policy as the instance scanner asks it: is this instance type oversized in
/// this region, and what does it cost. The guard's price table and thresholds implement it.
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

public static class InstancePricing
{
    /// <summary>AWS bills a month as 730 hours in its price lists and calculator.</summary>
    public const decimal HoursPerMonth = 730m;

    public static decimal Monthly(decimal hourlyUsd) => Math.Round(hourlyUsd * HoursPerMonth, 2, MidpointRounding.AwayFromZero);

    /// <summary>"$4.608/h": as many decimals as the price list gives, at least two.</summary>
    public static string PerHour(decimal usd) => "$" + usd.ToString("#,0.00##", CultureInfo.InvariantCulture) + "/h";

    /// <summary>"$3,363.84/month".</summary>
    public static string PerMonth(decimal usd) => "$" + usd.ToString("#,0.00", CultureInfo.InvariantCulture) + "/month";
}
