namespace DuoQServerless.Core.Detection;

/// <summary>
/// Shell-style patterns for ARNs, instance types and IAM actions: <c>*</c> is any run of
/// characters (including ':' and '/'), <c>?</c> one character. Case-insensitive: IAM names and
/// actions are, and instance types are written in lower case anyway.
/// </summary>
public static class Glob
{
    public static bool Matches(string pattern, string text) => Match(pattern.AsSpan(), text.AsSpan());

    public static bool MatchesAny(IEnumerable<string> patterns, string? text) =>
        text is not null && patterns.Any(pattern => Matches(pattern, text));

    // Iterative wildcard match with single backtrack point: linear in practice, no regex (AOT, no ReDoS).
    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
