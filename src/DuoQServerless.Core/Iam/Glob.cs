namespace DuoQServerless.Core.Iam;

/// <summary>
/// IAM wildcards: <c>*</c> matches any run of characters (including none), <c>?</c> exactly one.
/// Besides matching a value, it compares two patterns, because a check such as "is q:CreatePlugin
/// allowed on every plugin resource" asks about a set of resources, not one.
/// </summary>
public static class Glob
{
    public static bool HasWildcard(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>Whether <paramref name="value"/> (taken literally) matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string value, bool ignoreCase)
    {
        // Iterative matcher with one backtrack point: linear in practice, no recursion on hostile input.
        int p = 0, v = 0, starP = -1, starV = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], value[v], ignoreCase)))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starV = v;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                v = ++starV;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    /// <summary>
    /// Whether every value matched by <paramref name="inner"/> is also matched by <paramref name="outer"/>.
    /// Sound (a true answer is always right); it can miss containments that need reasoning across
    /// several wildcards at once, which policies do not use in practice.
    /// </summary>
    public static bool Covers(string outer, string inner, bool ignoreCase)
    {
        // Beyond IAM's own size limits the comparison answers "no": an Allow then grants nothing.
        if (TooLarge(outer, inner)) return false;
        var memo = new bool?[outer.Length + 1, inner.Length + 1];
        return CoversFrom(outer, inner, 0, 0, ignoreCase, memo);
    }

    /// <summary>Whether some value is matched by both patterns.</summary>
    public static bool Overlaps(string a, string b, bool ignoreCase)
    {
        // Beyond IAM's own size limits the comparison answers "yes": a Deny then applies.
        if (TooLarge(a, b)) return true;
        var memo = new bool?[a.Length + 1, b.Length + 1];
        return OverlapsFrom(a, b, 0, 0, ignoreCase, memo);
    }

    private static bool CoversFrom(string outer, string inner, int i, int j, bool ignoreCase, bool?[,] memo)
    {
        if (memo[i, j] is { } known) return known;
        bool result;
        if (i == outer.Length)
        {
            result = j == inner.Length;
        }
        else if (outer[i] == '*')
        {
            // The outer star absorbs nothing more, or one more token of the inner pattern (a literal,
            // a '?', or the inner's own '*').
            result = CoversFrom(outer, inner, i + 1, j, ignoreCase, memo)
                || (j < inner.Length && CoversFrom(outer, inner, i, j + 1, ignoreCase, memo));
        }
        else if (j == inner.Length || inner[j] == '*')
        {
            // An inner star can stand for any run of characters: only an outer star can cover it.
            result = false;
        }
        else if (outer[i] == '?')
        {
            result = CoversFrom(outer, inner, i + 1, j + 1, ignoreCase, memo);
        }
        else
        {
            result = inner[j] != '?' && Same(outer[i], inner[j], ignoreCase)
                && CoversFrom(outer, inner, i + 1, j + 1, ignoreCase, memo);
        }
        memo[i, j] = result;
        return result;
    }

    private static bool OverlapsFrom(string a, string b, int i, int j, bool ignoreCase, bool?[,] memo)
    {
        if (memo[i, j] is { } known) return known;
        bool result;
        if (i == a.Length && j == b.Length)
        {
            result = true;
        }
        else if (i < a.Length && a[i] == '*')
        {
            result = OverlapsFrom(a, b, i + 1, j, ignoreCase, memo)
                || (j < b.Length && OverlapsFrom(a, b, i, j + 1, ignoreCase, memo));
        }
        else if (j < b.Length && b[j] == '*')
        {
            result = OverlapsFrom(a, b, i, j + 1, ignoreCase, memo)
                || (i < a.Length && OverlapsFrom(a, b, i + 1, j, ignoreCase, memo));
        }
        else if (i == a.Length || j == b.Length)
        {
            result = false;
        }
        else
        {
            result = (a[i] == '?' || b[j] == '?' || Same(a[i], b[j], ignoreCase))
                && OverlapsFrom(a, b, i + 1, j + 1, ignoreCase, memo);
        }
        memo[i, j] = result;
        return result;
    }

    private const long MaxComparedCells = 1_000_000;

    private static bool TooLarge(string a, string b) => (a.Length + 1L) * (b.Length + 1L) > MaxComparedCells;

    private static bool Same(char x, char y, bool ignoreCase) =>
        x == y || (ignoreCase && char.ToUpperInvariant(x) == char.ToUpperInvariant(y));
}
