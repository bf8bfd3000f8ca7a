namespace DuoQServerless.Core.Detection;

/// <summary>A fact a detector cannot read from the event and asks the handler to look up first.</summary>
public abstract record FactRequest
{
    private FactRequest() { }

    /// <summary>The default version's document of a customer managed policy (iam:GetPolicy + iam:GetPolicyVersion).</summary>
    public sealed record ManagedPolicyDocument(string PolicyArn) : FactRequest;
}

/// <summary>
/// Facts the handler looked up for a detector, keeping detection pure. A detector given no
/// facts still answers, erring on the side of a finding (a document it could not check is
/// reported as unchecked, not assumed harmless).
/// </summary>
public sealed record DetectionFacts(IReadOnlyDictionary<string, string> ManagedPolicyDocuments)
{
    public static readonly DetectionFacts None = new(new Dictionary<string, string>());

    /// <summary>Why a requested document could not be read (AWS's code and message), by policy ARN.</summary>
    public IReadOnlyDictionary<string, string> Unreadable { get; init; } = new Dictionary<string, string>();

    public string? DocumentOf(string policyArn) =>
        ManagedPolicyDocuments.TryGetValue(policyArn, out var document) ? document : null;

    public string? WhyUnreadable(string policyArn) =>
        Unreadable.TryGetValue(policyArn, out var why) ? why : null;
}
