namespace DuoQServerless.Core.Iam;

/// <summary>
/// IAM wildcards: <c>*</c> matches any run of characters (including none), <c>?</c> exactly one.
/// Besides matching a value, it compares two patterns, because a check such as "is q:CreatePlugin
/// allowed on every plugin resource" asks about a set of resources, not one.
/// <para>
/// With a <c>separator</c> (':' for resource ARNs) the IAM rule for ARN segments applies: a <c>*</c>
/// that ends a segment (followed by the separator or the end) may run across separators; any other
/// <c>*</c>, and every <c>?</c>, stays inside its segment.
/// </para>
/// </summary>
public static class Glob
{
    // IAM caps ARNs at 2048 characters; beyond these bounds the answer is the conservative one and
    // the memo table and recursion depth stay small.
    private const long MaxComparedCells = 1_000_000;
    private const int MaxCombinedLength = 4096;

    public static bool HasWildcard(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>Whether <paramref name="value"/> (taken literally) matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string value, bool ignoreCase, char? separator = null) =>
        !TooLarge(pattern, value) && new Comparison(pattern, value, ignoreCase, separator, literalRight: true).Covers(0, 0);

    /// <summary>
    /// Whether every value matched by <paramref name="inner"/> is also matched by <paramref name="outer"/>.
    /// Sound (a true answer is always right); it can miss containments that need reasoning across
    /// several wildcards at once, which policies do not use in practice. Beyond IAM's size limits
    /// it answers "no", so an Allow then grants nothing.
    /// </summary>
    public static bool Covers(string outer, string inner, bool ignoreCase, char? separator = null) =>
        !TooLarge(outer, inner) && new Comparison(outer, inner, ignoreCase, separator, literalRight: false).Covers(0, 0);

    /// <summary>
    /// Whether some value is matched by both patterns. Beyond IAM's size limits it answers "yes",
    /// so a Deny then applies.
    /// </summary>
    public static bool Overlaps(string a, string b, bool ignoreCase, char? separator = null) =>
        TooLarge(a, b) || new Comparison(a, b, ignoreCase, separator, literalRight: false).Overlaps(0, 0);

    private static bool TooLarge(string a, string b) =>
        a.Length + b.Length > MaxCombinedLength || (a.Length + 1L) * (b.Length + 1L) > MaxComparedCells;

    /// <summary>Memoised walk over two patterns (the right one literal when matching a value).</summary>
    private sealed class Comparison(string left, string right, bool ignoreCase, char? separator, bool literalRight)
    {
        private readonly bool?[,] _memo = new bool?[left.Length + 1, right.Length + 1];

        private bool LeftStar(int i) => left[i] == '*';
        private bool LeftQuestion(int i) => left[i] == '?';
        private bool RightStar(int j) => !literalRight && right[j] == '*';
        private bool RightQuestion(int j) => !literalRight && right[j] == '?';
        private bool LeftSpans(int i) => separator is null || i + 1 == left.Length || left[i + 1] == separator;
        private bool RightSpans(int j) => separator is null || j + 1 == right.Length || right[j + 1] == separator;
        private bool IsSeparator(char c) => separator is { } s && c == s;

        /// <summary>Whether left[i..] matches everything right[j..] matches.</summary>
        public bool Covers(int i, int j)
        {
            if (_memo[i, j] is { } known) return known;
            bool result;
            if (i == left.Length)
            {
                result = j == right.Length;
            }
            else if (LeftStar(i))
            {
                // The star absorbs nothing more, or one more token of the right side, if it may.
                result = Covers(i + 1, j) || (j < right.Length && StarAbsorbs(i, j) && Covers(i, j + 1));
            }
            else if (j == right.Length || RightStar(j))
            {
                // A right-hand star can stand for any run of characters: only a left star covers it.
                result = false;
            }
            else if (LeftQuestion(i))
            {
                result = (RightQuestion(j) || !IsSeparator(right[j])) && Covers(i + 1, j + 1);
            }
            else
            {
                result = !RightQuestion(j) && Same(left[i], right[j]) && Covers(i + 1, j + 1);
            }
            _memo[i, j] = result;
            return result;
        }

        private bool StarAbsorbs(int i, int j)
        {
            if (LeftSpans(i)) return true;
            if (RightStar(j)) return !RightSpans(j);
            return RightQuestion(j) || !IsSeparator(right[j]);
        }

        /// <summary>Whether some value is matched by both left[i..] and right[j..].</summary>
        public bool Overlaps(int i, int j)
        {
            if (_memo[i, j] is { } known) return known;
            bool result;
            if (i == left.Length && j == right.Length)
            {
                result = true;
            }
            else if (i < left.Length && LeftStar(i))
            {
                result = Overlaps(i + 1, j)
                    || (j < right.Length && (LeftSpans(i) || RightStar(j) || RightQuestion(j) || !IsSeparator(right[j])) && Overlaps(i, j + 1));
            }
            else if (j < right.Length && RightStar(j))
            {
                result = Overlaps(i, j + 1)
                    || (i < left.Length && (RightSpans(j) || LeftQuestion(i) || !IsSeparator(left[i])) && Overlaps(i + 1, j));
            }
            else if (i == left.Length || j == right.Length)
            {
                result = false;
            }
            else
            {
                var compatible = (LeftQuestion(i), RightQuestion(j)) switch
                {
                    (true, true) => true,
                    (true, false) => !IsSeparator(right[j]),
                    (false, true) => !IsSeparator(left[i]),
                    (false, false) => Same(left[i], right[j]),
                };
                result = compatible && Overlaps(i + 1, j + 1);
            }
            _memo[i, j] = result;
            return result;
        }

        private bool Same(char x, char y) =>
            x == y || (ignoreCase && char.ToUpperInvariant(x) == char.ToUpperInvariant(y));
    }
}
