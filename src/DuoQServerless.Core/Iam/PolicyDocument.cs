namespace DuoQServerless.Core.Iam;

public enum Effect
{
    Allow,
    Deny,
}

/// <summary>An IAM policy document: identity policy, key policy or role trust policy.</summary>
public sealed record PolicyDocument(string? Version, string? Id, IReadOnlyList<PolicyStatement> Statements)
{
    /// <summary>
    /// Reads a policy document. IAM answers with URL-encoded JSON; both forms are accepted.
    /// </summary>
    /// <exception cref="PolicyDocumentException">The text is not a policy document; the message names the field.</exception>
    public static PolicyDocument Parse(string json) => PolicyParser.Parse(json);

    public static bool TryParse(string json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PolicyDocument? document, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        try
        {
            document = PolicyParser.Parse(json);
            error = null;
            return true;
        }
        // The parser reports every malformed document with this one exception type.
        catch (PolicyDocumentException e)
        {
            document = null;
            error = e.Message;
            return false;
        }
    }
}

/// <summary>One statement. <see cref="Index"/> is its 0-based position, for evidence.</summary>
public sealed record PolicyStatement
{
    public required int Index { get; init; }
    public string? Sid { get; init; }
    public required Effect Effect { get; init; }
    /// <summary>Action, or NotAction when <see cref="PatternList.IsNot"/>.</summary>
    public required PatternList Actions { get; init; }
    /// <summary>Resource or NotResource; null when absent, as in trust policies (the role itself is the resource).</summary>
    public PatternList? Resources { get; init; }
    /// <summary>Principal or NotPrincipal; present in resource policies (key and trust policies).</summary>
    public PrincipalSet? Principals { get; init; }
    public IReadOnlyList<ConditionClause> Conditions { get; init; } = [];

    public string Label => Sid is { Length: > 0 } sid ? $"statement #{Index + 1} ({sid})" : $"statement #{Index + 1}";
}

/// <summary>The values of Action/NotAction or Resource/NotResource.</summary>
public sealed record PatternList(IReadOnlyList<string> Patterns, bool IsNot)
{
    public override string ToString() => $"{(IsNot ? "Not " : "")}[{string.Join(", ", Patterns)}]";
}

/// <summary>A principal named in a resource policy: type AWS, Federated, Service or CanonicalUser, or "*" for everyone.</summary>
public sealed record PrincipalEntry(string Type, string Value)
{
    public const string Everyone = "*";

    public override string ToString() => Type == Everyone ? "*" : $"{Type}: {Value}";
}

public sealed record PrincipalSet(IReadOnlyList<PrincipalEntry> Entries, bool IsNot)
{
    public override string ToString() => $"{(IsNot ? "NotPrincipal " : "")}{{{string.Join("; ", Entries)}}}";
}

public enum ConditionOperator
{
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

public enum SetQualifier
{
    None,
    ForAllValues,
    ForAnyValue,
}

/// <summary>
/// One key under one operator, e.g. <c>"StringEquals": {"kms:ViaService": ["q.us-east-1.amazonaws.com"]}</c>.
/// Values are kept as text: booleans and numbers become their JSON spelling.
/// </summary>
public sealed record ConditionClause(
    string OperatorName,
    ConditionOperator Operator,
    SetQualifier Qualifier,
    bool IfExists,
    string Key,
    IReadOnlyList<string> Values)
{
    public override string ToString() => $"{OperatorName} {Key} [{string.Join(", ", Values)}]";
}

/// <summary>A document that is not a policy document; the message names the field and what was expected.</summary>
public sealed class PolicyDocumentException(string message) : Exception(message);
