namespace DuoQServerless.Core.Iam;

/// <summary>
/// Resource ARNs compared the way IAM compares the Resource element: case-sensitively, with
/// wildcards kept inside their colon-separated segment unless a <c>*</c> ends the segment (IAM lets
/// such a star run across colons). ArnLike/ArnEquals conditions instead compare the six segments
/// one by one (<see cref="MatchesBySegment"/>).
/// </summary>
public static class ResourcePattern
{
    private const char Separator = ':';
    private const int ArnSegments = 6;

    public static bool Matches(string pattern, string resource) =>
        Glob.Matches(pattern, resource, ignoreCase: false, Separator);

    /// <summary>Whether every resource matched by <paramref name="inner"/> is matched by <paramref name="outer"/>.</summary>
    public static bool Covers(string outer, string inner) =>
        Glob.Covers(outer, inner, ignoreCase: false, Separator);

    public static bool Overlaps(string a, string b) =>
        Glob.Overlaps(a, b, ignoreCase: false, Separator);

    /// <summary>The ArnLike rule: each of the six segments matched separately; non-ARNs as whole strings.</summary>
    public static bool MatchesBySegment(string pattern, string arn)
    {
        var p = pattern.Split(Separator, ArnSegments);
        var a = arn.Split(Separator, ArnSegments);
        if (p.Length != ArnSegments || a.Length != ArnSegments)
            return Glob.Matches(pattern, arn, ignoreCase: false);
        for (var i = 0; i < ArnSegments; i++)
            if (!Glob.Matches(p[i], a[i], ignoreCase: false)) return false;
        return true;
    }
}
