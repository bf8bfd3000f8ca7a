using System.Text.Json.Serialization;
using DuoQServerless.Core.Findings;

namespace DuoQServerless.Core.Reporting;

/// <summary>What the account exposes at the time of the scan, one list per kind of resource.</summary>
public sealed record ExposedNow
{
    public static readonly ExposedNow None = new();

    public IReadOnlyList<OpenSecurityGroup> OpenSecurityGroups { get; init; } = [];
    public IReadOnlyList<OversizedInstance> OversizedInstances { get; init; } = [];
    public IReadOnlyList<UnprotectedDatabase> UnprotectedDatabases { get; init; } = [];
    public IReadOnlyList<AdminPrincipal> AdminPrincipals { get; init; } = [];
    public IReadOnlyList<OldAccessKey> OldAccessKeys { get; init; } = [];

    [JsonIgnore]
    public int Total => OpenSecurityGroups.Count + OversizedInstances.Count + UnprotectedDatabases.Count + AdminPrincipals.Count + OldAccessKeys.Count;

    public ExposedNow Merge(ExposedNow other) => new()
    {
        OpenSecurityGroups = [.. OpenSecurityGroups, .. other.OpenSecurityGroups],
        OversizedInstances = [.. OversizedInstances, .. other.OversizedInstances],
        UnprotectedDatabases = [.. UnprotectedDatabases, .. other.UnprotectedDatabases],
        AdminPrincipals = [.. AdminPrincipals, .. other.AdminPrincipals],
        OldAccessKeys = [.. OldAccessKeys, .. other.OldAccessKeys],
    };

    /// <summary>The same lists in a fixed order, so two scans of one account give the same report.</summary>
    public ExposedNow Sorted() => new()
    {
        OpenSecurityGroups = [.. OpenSecurityGroups.OrderBy(g => g.Region, StringComparer.Ordinal).ThenBy(g => g.GroupId, StringComparer.Ordinal)],
        OversizedInstances = [.. OversizedInstances.OrderBy(i => i.Region, StringComparer.Ordinal).ThenBy(i => i.InstanceId, StringComparer.Ordinal)],
        UnprotectedDatabases = [.. UnprotectedDatabases.OrderBy(d => d.Region, StringComparer.Ordinal).ThenBy(d => d.Identifier, StringComparer.Ordinal)],
        AdminPrincipals = [.. AdminPrincipals.OrderBy(p => p.Arn, StringComparer.Ordinal).ThenBy(p => p.Policy, StringComparer.Ordinal)],
        OldAccessKeys = [.. OldAccessKeys.OrderByDescending(k => k.AgeDays).ThenBy(k => k.AccessKeyId, StringComparer.Ordinal)],
    };
}

/// <summary>A security group with at least one ingress rule open to the world on a watched port.</summary>
public sealed record OpenSecurityGroup(string GroupId, string GroupName, string? VpcId, string Region, IReadOnlyList<RiskyIngressRule> Rules);

/// <summary>
/// One world-open permission of a group: protocol as EC2 names it ("tcp", or "all" for -1),
/// the port range (null for all ports), the open CIDR and which watched ports it exposes.
/// </summary>
public sealed record RiskyIngressRule(string Protocol, int? FromPort, int? ToPort, string Cidr, IReadOnlyList<int> ExposedPorts)
{
    /// <summary>"tcp 22", "tcp 0-65535", "all ports".</summary>
    [JsonIgnore]
    public string Ports => (FromPort, ToPort) switch
    {
        (null, _) or (_, null) => "all ports",
        var (from, to) when from == to => $"{Protocol} {from}",
        var (from, to) => $"{Protocol} {from}-{to}",
    };
}

/// <summary>A running instance over the size or price policy.</summary>
public sealed record OversizedInstance(
    string InstanceId,
    string InstanceType,
    string Region,
    decimal? HourlyUsd,
    decimal? MonthlyUsd,
    DateTimeOffset? LaunchTime,
    IReadOnlyList<OversizeReason> Reasons);

/// <summary>Why a type counts as oversized, as the policy phrased it (e.g. Price, "$4.608/h over $1.00/h").</summary>
public sealed record OversizeReason(OversizeRule Rule, string Detail);

[JsonConverter(typeof(JsonStringEnumConverter<OversizeRule>))]
public enum OversizeRule
{
    [JsonStringEnumMemberName("pattern")] Pattern,
    [JsonStringEnumMemberName("price")] Price,
    [JsonStringEnumMemberName("vcpu")] Vcpu,
}

/// <summary>An RDS instance or cluster that can be deleted in one call.</summary>
public sealed record UnprotectedDatabase(string Identifier, DbKind Kind, string? Engine, string Region);


/// <summary>A role, user or group holding an admin-like policy, and how it holds it.</summary>
public sealed record AdminPrincipal(string Arn, string Name, PrincipalKind Kind, string Policy, string How);


/// <summary>An IAM user's access key older than the policy allows.</summary>
public sealed record OldAccessKey(string UserName, string AccessKeyId, DateTimeOffset CreatedAt, int AgeDays, bool Active);

/// <summary>
/// A resource that would be listed as exposed but is exempt by tag or was approved by a person;
/// listed apart with the tag that accepted it and, for approvals, who approved.
/// </summary>
public sealed record AcceptedResource(
    ExposureKind Kind,
    string ResourceId,
    string? Name,
    string Region,
    AcceptanceKind Acceptance,
    string Tag,
    string? TagValue,
    string? ApprovedBy,
    string Exposure);

[JsonConverter(typeof(JsonStringEnumConverter<AcceptanceKind>))]
public enum AcceptanceKind
{
    [JsonStringEnumMemberName("exempt")] Exempt,
    [JsonStringEnumMemberName("approved")] Approved,
}

/// <summary>The kinds of exposed resource; also the "kind" column of findings.csv.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExposureKind>))]
public enum ExposureKind
{
    [JsonStringEnumMemberName("open-security-group")] OpenSecurityGroup,
    [JsonStringEnumMemberName("oversized-instance")] OversizedInstance,
    [JsonStringEnumMemberName("unprotected-database")] UnprotectedDatabase,
    [JsonStringEnumMemberName("admin-principal")] AdminPrincipal,
    [JsonStringEnumMemberName("old-access-key")] OldAccessKey,
}

/// <summary>What one scanner found in one region (or, for global services, once).</summary>
public sealed record ScanFindings
{
    public static readonly ScanFindings None = new();

    public ExposedNow Exposed { get; init; } = ExposedNow.None;
    public IReadOnlyList<AcceptedResource> Accepted { get; init; } = [];
    public IReadOnlyList<ScanGap> Gaps { get; init; } = [];

    public ScanFindings Merge(ScanFindings other) => new()
    {
        Exposed = Exposed.Merge(other.Exposed),
        Accepted = [.. Accepted, .. other.Accepted],
        Gaps = [.. Gaps, .. other.Gaps],
    };
}
