using System.Text.Json.Serialization;

namespace DuoQServerless.Core.Findings;

/// <summary>The risks the guards catch. The kebab-case names are the policy document's keys,
/// the audit table's values and the SNS <c>risk</c> attribute.</summary>
[JsonConverter(typeof(NamedEnumConverter<Risk>))]
public enum Risk
{
    [JsonStringEnumMemberName("public-ssh")] PublicSsh,
    [JsonStringEnumMemberName("rds-deletion-protection-off")] RdsDeletionProtectionOff,
    [JsonStringEnumMemberName("rds-delete")] RdsDelete,
    [JsonStringEnumMemberName("iam-change")] IamChange,
    [JsonStringEnumMemberName("oversized-instance")] OversizedInstance,
    [JsonStringEnumMemberName("self-protection")] SelfProtection,
}

/// <summary>The guard functions; each detects and reverts its own risks. The self guard watches DuoQ's own
/// rules, functions, roles, state machine, topic and table.</summary>
[JsonConverter(typeof(NamedEnumConverter<Guard>))]
public enum Guard
{
    [JsonStringEnumMemberName("ssh")] Ssh,
    [JsonStringEnumMemberName("rds")] Rds,
    [JsonStringEnumMemberName("iam")] Iam,
    [JsonStringEnumMemberName("instance")] Instance,
    [JsonStringEnumMemberName("self")] Self,
}

[JsonConverter(typeof(NamedEnumConverter<Severity>))]
public enum Severity
{
    [JsonStringEnumMemberName("low")] Low,
    [JsonStringEnumMemberName("medium")] Medium,
    [JsonStringEnumMemberName("high")] High,
    [JsonStringEnumMemberName("critical")] Critical,
}

public static class RiskNames
{
    public static readonly IReadOnlyList<Risk> All = Enum.GetValues<Risk>();

    public static string Id(this Risk risk) => risk switch
    {
        Risk.PublicSsh => "public-ssh",
        Risk.RdsDeletionProtectionOff => "rds-deletion-protection-off",
        Risk.RdsDelete => "rds-delete",
        Risk.IamChange => "iam-change",
        Risk.OversizedInstance => "oversized-instance",
        Risk.SelfProtection => "self-protection",
        _ => throw new ArgumentOutOfRangeException(nameof(risk), risk, null),
    };

    public static bool TryParse(string id, out Risk risk)
    {
        foreach (var candidate in All)
        {
            if (candidate.Id() == id)
            {
                risk = candidate;
                return true;
            }
        }
        risk = default;
        return false;
    }

    public static Guard GuardOf(this Risk risk) => risk switch
    {
        Risk.PublicSsh => Guard.Ssh,
        Risk.RdsDeletionProtectionOff or Risk.RdsDelete => Guard.Rds,
        Risk.IamChange => Guard.Iam,
        Risk.OversizedInstance => Guard.Instance,
        Risk.SelfProtection => Guard.Self,
        _ => throw new ArgumentOutOfRangeException(nameof(risk), risk, null),
    };

    public static string Id(this Guard guard) => guard switch
    {
        Guard.Ssh => "ssh",
        Guard.Rds => "rds",
        Guard.Iam => "iam",
        Guard.Instance => "instance",
        Guard.Self => "self",
        _ => throw new ArgumentOutOfRangeException(nameof(guard), guard, null),
    };

    public static string Id(this Severity severity) => severity switch
    {
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };
}
