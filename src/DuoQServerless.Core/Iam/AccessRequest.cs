namespace DuoQServerless.Core.Iam;

/// <summary>
/// The question put to the evaluator: may <see cref="Principal"/> perform <see cref="Action"/> on
/// <see cref="Resource"/> given <see cref="Context"/>?
/// <para>
/// <see cref="Resource"/> may itself hold wildcards; it then stands for every resource it matches, and
/// the answer is "allowed" only if it is allowed for all of them: an Allow must cover the whole
/// pattern, a Deny applies if it touches any part of it. <c>"*"</c> therefore asks "on every resource".
/// </para>
/// </summary>
public sealed record AccessRequest(string Action, string Resource, RequestPrincipal? Principal = null, RequestContext? Context = null)
{
    public RequestContext Context { get; init; } = Context ?? RequestContext.Empty;
}

/// <summary>The caller, as a resource policy's Principal element names it.</summary>
public sealed record RequestPrincipal(string Type, string Id)
{
    public const string AwsType = "AWS";
    public const string FederatedType = "Federated";
    public const string ServiceType = "Service";

    /// <summary>An IAM role or user, by ARN.</summary>
    public static RequestPrincipal Aws(string arn) => new(AwsType, arn);

    /// <summary>A web identity caller, by its identity provider's ARN.</summary>
    public static RequestPrincipal Federated(string providerArn) => new(FederatedType, providerArn);

    public static RequestPrincipal Service(string servicePrincipal) => new(ServiceType, servicePrincipal);

    /// <summary>The 12-digit account of an ARN principal, or null.</summary>
    public string? AccountId => Id.StartsWith("arn:", StringComparison.Ordinal) && Id.Split(':') is { Length: >= 6 } parts && parts[4].Length > 0
        ? parts[4]
        : null;

    public override string ToString() => $"{Type}: {Id}";
}

/// <summary>Request context keys (condition keys), case-insensitive as IAM treats them. Immutable.</summary>
public sealed class RequestContext
{
    private readonly Dictionary<string, IReadOnlyList<string>> _values;

    private RequestContext(Dictionary<string, IReadOnlyList<string>> values) => _values = values;

    public static RequestContext Empty { get; } = new(new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase));

    public IEnumerable<string> Keys => _values.Keys;

    public RequestContext With(string key, params string[] values)
    {
        var copy = new Dictionary<string, IReadOnlyList<string>>(_values, StringComparer.OrdinalIgnoreCase) { [key] = values };
        return new RequestContext(copy);
    }

    public RequestContext Without(string key)
    {
        var copy = new Dictionary<string, IReadOnlyList<string>>(_values, StringComparer.OrdinalIgnoreCase);
        copy.Remove(key);
        return new RequestContext(copy);
    }

    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyList<string>? values) =>
        _values.TryGetValue(key, out values);

    public override string ToString() => string.Join(", ", _values.Select(kv => $"{kv.Key}={string.Join("|", kv.Value)}"));
}
