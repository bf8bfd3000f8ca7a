namespace DuoQServerless.Core.Reporting;

/// <summary>
/// Which resource tags mean "exposed on purpose". An exemption tag is set by the account's
/// owners; the approval tag is written when a person approves a finding, its value (or the
/// approved-by tag) naming who approved.
/// </summary>
public sealed record AcceptancePolicy
{
    public static readonly AcceptancePolicy Default = new();

    public IReadOnlyList<string> ExemptTagKeys { get; init; } = ["duoq:exempt"];
    public string ApprovedTagKey { get; init; } = "duoq:approved";
    public string ApprovedByTagKey { get; init; } = "duoq:approved-by";

    /// <summary>How the tags accept the resource, or null when they do not. An exemption wins over an approval.</summary>
    public Acceptance? Accept(IReadOnlyDictionary<string, string> tags)
    {
        foreach (var key in ExemptTagKeys)
            if (tags.TryGetValue(key, out var value) && !IsFalse(value))
                return new Acceptance(AcceptanceKind.Exempt, key, NullIfEmpty(value), null);

        if (tags.TryGetValue(ApprovedTagKey, out var approved) && !IsFalse(approved))
        {
            var by = tags.TryGetValue(ApprovedByTagKey, out var named) && !string.IsNullOrWhiteSpace(named) ? named
                : IsTrue(approved) ? null
                : NullIfEmpty(approved);
            return new Acceptance(AcceptanceKind.Approved, ApprovedTagKey, NullIfEmpty(approved), by);
        }
        return null;
    }

    private static bool IsFalse(string value) => string.Equals(value.Trim(), "false", StringComparison.OrdinalIgnoreCase);
    private static bool IsTrue(string value) => string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>Why a resource is accepted: the tag that says so and, for approvals, who approved.</summary>
public sealed record Acceptance(AcceptanceKind Kind, string Tag, string? TagValue, string? ApprovedBy)
{
    public AcceptedResource For(ExposureKind kind, string resourceId, string? name, string region, string exposure) =>
        new(kind, resourceId, name, region, Kind, Tag, TagValue, ApprovedBy, exposure);
}
