namespace DuoQServerless.Core.Policy;

/// <summary>One thing wrong with a policy document. <see cref="Path"/> is the field, dotted
/// from the root (<c>risks.public-ssh.mode</c>, <c>selfPrincipals[1]</c>).</summary>
public sealed record PolicyError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The result of loading a policy document: a policy, or every error found in it.</summary>
public abstract record PolicyLoad
{
    private PolicyLoad() { }

    public sealed record Loaded(GuardPolicy Policy) : PolicyLoad;

    public sealed record Rejected(IReadOnlyList<PolicyError> Errors) : PolicyLoad
    {
        public override string ToString() => "invalid policy document: " + string.Join("; ", Errors);
    }
}
