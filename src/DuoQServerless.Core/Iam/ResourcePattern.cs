namespace DuoQServerless.Core.Iam;

/// <summary>
/// Resource ARNs compared the way IAM compares them: case-sensitively, and, when both sides are
/// ARNs, segment by segment (partition, service, region, account, resource), so a wildcard in the
/// region never swallows the account. Anything that is not a six-part ARN (such as <c>*</c>) is
/// compared as a whole string.
/// </summary>
public static class ResourcePattern
{
    private const int ArnSegments = 6;

    public static bool Matches(string pattern, string resource) =>
        Compare(pattern, resource, static (p, v) => Glob.Matches(p, v, ignoreCase: false));

    /// <summary>Whether every resource matched by <paramref name="inner"/> is matched by <paramref name="outer"/>.</summary>
    public static bool Covers(string outer, string inner) =>
        Compare(outer, inner, static (o, i) => Glob.Covers(o, i, ignoreCase: false));

    public static bool Overlaps(string a, string b) =>
        Compare(a, b, static (x, y) => Glob.Overlaps(x, y, ignoreCase: false));

    private static bool Compare(string left, string right, Func<string, string, bool> segment)
    {
        if (SplitArn(left) is { } l && SplitArn(right) is { } r)
        {
            for (var i = 0; i < ArnSegments; i++)
                if (!segment(l[i], r[i])) return false;
            return true;
        }
        return segment(left, right);
    }

    private static string[]? SplitArn(string value)
    {
        if (!value.StartsWith("arn:", StringComparison.Ordinal)) return null;
        var parts = value.Split(':', ArnSegments);
        return parts.Length == ArnSegments ? parts : null;
    }
}
