using System.Globalization;
using System.Net;

namespace DuoQServerless.Core.Iam;

/// <summary>
/// IAM condition semantics: all clauses of a statement must hold; within a clause any policy value
/// may match (negated operators: none may). A key missing from the request context makes a clause
/// false, except for IfExists, negated operators and ForAllValues, which are true, and Null.
/// </summary>
internal static class ConditionEvaluator
{
    public static bool Holds(IReadOnlyList<ConditionClause> clauses, RequestContext context, out ConditionClause? failed)
    {
        foreach (var clause in clauses)
        {
            if (Holds(clause, context)) continue;
            failed = clause;
            return false;
        }
        failed = null;
        return true;
    }

    public static bool Holds(ConditionClause clause, RequestContext context)
    {
        var present = context.TryGet(clause.Key, out var values) && values.Count > 0;

        if (clause.Operator == ConditionOperator.Null)
        {
            var wantsAbsent = clause.Values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));
            return wantsAbsent != present;
        }

        var negated = IsNegated(clause.Operator);
        if (!present)
        {
            return clause.IfExists || negated || clause.Qualifier == SetQualifier.ForAllValues;
        }

        bool Positive(string contextValue) => clause.Values.Any(policyValue => Compare(clause.Operator, policyValue, contextValue));

        return (clause.Qualifier, negated) switch
        {
            (SetQualifier.ForAllValues, false) => values!.All(Positive),
            (SetQualifier.ForAllValues, true) => values!.All(v => !Positive(v)),
            (SetQualifier.ForAnyValue, true) => values!.Any(v => !Positive(v)),
            (_, true) => !values!.Any(Positive),
            (_, false) => values!.Any(Positive),
        };
    }

    private static bool IsNegated(ConditionOperator op) => op is ConditionOperator.StringNotEquals
        or ConditionOperator.StringNotEqualsIgnoreCase
        or ConditionOperator.StringNotLike
        or ConditionOperator.NumericNotEquals
        or ConditionOperator.DateNotEquals
        or ConditionOperator.NotIpAddress
        or ConditionOperator.ArnNotEquals
        or ConditionOperator.ArnNotLike;

    /// <summary>The positive form of each operator; negation is applied by the caller.</summary>
    private static bool Compare(ConditionOperator op, string policyValue, string contextValue) => op switch
    {
        ConditionOperator.StringEquals or ConditionOperator.StringNotEquals =>
            string.Equals(policyValue, contextValue, StringComparison.Ordinal),
        ConditionOperator.StringEqualsIgnoreCase or ConditionOperator.StringNotEqualsIgnoreCase =>
            string.Equals(policyValue, contextValue, StringComparison.OrdinalIgnoreCase),
        ConditionOperator.StringLike or ConditionOperator.StringNotLike =>
            Glob.Matches(policyValue, contextValue, ignoreCase: false),
        ConditionOperator.NumericEquals or ConditionOperator.NumericNotEquals => Numbers(policyValue, contextValue, c => c == 0),
        ConditionOperator.NumericLessThan => Numbers(policyValue, contextValue, c => c < 0),
        ConditionOperator.NumericLessThanEquals => Numbers(policyValue, contextValue, c => c <= 0),
        ConditionOperator.NumericGreaterThan => Numbers(policyValue, contextValue, c => c > 0),
        ConditionOperator.NumericGreaterThanEquals => Numbers(policyValue, contextValue, c => c >= 0),
        ConditionOperator.DateEquals or ConditionOperator.DateNotEquals => Dates(policyValue, contextValue, c => c == 0),
        ConditionOperator.DateLessThan => Dates(policyValue, contextValue, c => c < 0),
        ConditionOperator.DateLessThanEquals => Dates(policyValue, contextValue, c => c <= 0),
        ConditionOperator.DateGreaterThan => Dates(policyValue, contextValue, c => c > 0),
        ConditionOperator.DateGreaterThanEquals => Dates(policyValue, contextValue, c => c >= 0),
        ConditionOperator.Bool => string.Equals(policyValue, contextValue, StringComparison.OrdinalIgnoreCase),
        ConditionOperator.BinaryEquals => string.Equals(policyValue, contextValue, StringComparison.Ordinal),
        ConditionOperator.IpAddress or ConditionOperator.NotIpAddress =>
            IpRange.TryParse(policyValue, out var range) && IPAddress.TryParse(contextValue, out var address) && range.Contains(address),
        ConditionOperator.ArnEquals or ConditionOperator.ArnNotEquals or ConditionOperator.ArnLike or ConditionOperator.ArnNotLike =>
            ResourcePattern.MatchesBySegment(policyValue, contextValue),
        ConditionOperator.Null => throw new InvalidOperationException("Null is evaluated on presence, not by comparison"),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown condition operator"),
    };

    /// <summary>Compares the request's value to the policy's: the comparison reads "context OP policy".</summary>
    private static bool Numbers(string policyValue, string contextValue, Func<int, bool> accept) =>
        decimal.TryParse(policyValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
        && decimal.TryParse(contextValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var c)
        && accept(c.CompareTo(p));

    private static bool Dates(string policyValue, string contextValue, Func<int, bool> accept) =>
        TryDate(policyValue, out var p) && TryDate(contextValue, out var c) && accept(c.CompareTo(p));

    private static bool TryDate(string text, out DateTimeOffset value)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var epochSeconds)
            && epochSeconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            value = DateTimeOffset.FromUnixTimeSeconds(epochSeconds);
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
