using DuoQServerless.Core.Iam;

namespace DuoQServerless.Tests.Iam;

/// <summary>Key policies and trust policies: who the statement names, and how the account delegates to IAM.</summary>
public sealed class ResourcePolicySpecs
{
    private const string Role = "arn:aws:iam::123456789012:role/QDeveloperAccess";
    private const string Key = "arn:aws:kms:us-east-1:123456789012:key/k1";

    private static NamedPolicy Policy(string name, string json) => new(name, PolicyDocument.Parse(json));

    [Fact]
    public void A_key_policy_naming_the_role_allows_it_without_any_identity_policy()
    {
        var keyPolicy = Policy("key policy", $$$"""{"Statement":{"Effect":"Allow","Principal":{"AWS":"{{{Role}}}"},"Action":"kms:Decrypt","Resource":"*"}}""");

        var decision = PolicyEvaluator.Evaluate(PolicySet.Resource(keyPolicy), new AccessRequest("kms:Decrypt", Key, RequestPrincipal.Aws(Role)));

        Assert.True(decision.IsAllowed);
    }

    [Fact]
    public void A_key_policy_naming_another_principal_does_not_allow_the_role_even_if_its_identity_policy_does()
    {
        var keyPolicy = Policy("key policy", """{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/Other"},"Action":"kms:*","Resource":"*"}}""");
        var identity = Policy("role-kms", """{"Statement":{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}}""");

        var decision = PolicyEvaluator.Evaluate(PolicySet.Resource(keyPolicy, identity), new AccessRequest("kms:Decrypt", Key, RequestPrincipal.Aws(Role)));

        Assert.Equal(AccessOutcome.ImplicitlyDenied, decision.Outcome);
        Assert.Contains(decision.NearMisses, m => m.Statement.PolicyName == "role-kms");
    }

    [Fact]
    public void A_key_policy_naming_the_account_hands_the_decision_to_the_identity_policies()
    {
        var keyPolicy = Policy("key policy", """{"Statement":{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}}""");
        var identity = Policy("role-kms", """{"Statement":{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}}""");
        var request = new AccessRequest("kms:Decrypt", Key, RequestPrincipal.Aws(Role));

        Assert.False(PolicyEvaluator.Evaluate(PolicySet.Resource(keyPolicy), request).IsAllowed);
        var decision = PolicyEvaluator.Evaluate(PolicySet.Resource(keyPolicy, identity), request);
        Assert.True(decision.IsAllowed);
        Assert.Equal(["key policy", "role-kms"], decision.DecidingStatements.Select(s => s.PolicyName));
    }

    [Fact]
    public void A_trust_policy_allows_web_identity_only_to_its_federated_provider_with_the_right_audience()
    {
        const string provider = "arn:aws:iam::123456789012:oidc-provider/auth.token.gitlab.com/cc/oidc/abc";
        var trust = Policy("trust policy", $$$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity",
              "Principal":{"Federated":"{{{{provider}}}}"},
              "Condition":{"StringEquals":{"auth.token.gitlab.com/cc/oidc/abc:aud":"gitlab-cc-abc"}}}]}
            """);
        AccessRequest Request(string principal, string audience) => new(
            "sts:AssumeRoleWithWebIdentity", Role, RequestPrincipal.Federated(principal),
            RequestContext.Empty.With("auth.token.gitlab.com/cc/oidc/abc:aud", audience));

        Assert.True(PolicyEvaluator.Evaluate(PolicySet.Resource(trust), Request(provider, "gitlab-cc-abc")).IsAllowed);
        Assert.False(PolicyEvaluator.Evaluate(PolicySet.Resource(trust), Request(provider, "gitlab-cc-other")).IsAllowed);
        Assert.False(PolicyEvaluator.Evaluate(PolicySet.Resource(trust), Request(provider.Replace("/abc", "/xyz"), "gitlab-cc-abc")).IsAllowed);
    }

    [Fact]
    public void A_principal_of_star_names_everyone()
    {
        var policy = Policy("open", """{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}}""");

        Assert.True(PolicyEvaluator.Evaluate(PolicySet.Resource(policy), new AccessRequest("kms:Decrypt", Key, RequestPrincipal.Aws("arn:aws:iam::999999999999:role/Anyone"))).IsAllowed);
    }

    [Fact]
    public void NotPrincipal_in_a_deny_denies_everyone_except_the_listed_principals()
    {
        var policy = Policy("key policy", $$$"""
            {"Statement":[
              {"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"},
              {"Effect":"Deny","NotPrincipal":{"AWS":"{{{Role}}}"},"Action":"kms:Decrypt","Resource":"*"}]}
            """);

        Assert.True(PolicyEvaluator.Evaluate(PolicySet.Resource(policy), new AccessRequest("kms:Decrypt", Key, RequestPrincipal.Aws(Role))).IsAllowed);
        var other = PolicyEvaluator.Evaluate(PolicySet.Resource(policy), new AccessRequest("kms:Decrypt", Key, RequestPrincipal.Aws("arn:aws:iam::123456789012:role/Other")));
        Assert.Equal(AccessOutcome.ExplicitlyDenied, other.Outcome);
    }

    [Fact]
    public void A_deny_in_the_key_policy_wins_over_the_allow_that_names_the_role()
    {
        var policy = Policy("key policy", $$$$"""
            {"Statement":[
              {"Effect":"Allow","Principal":{"AWS":"{{{{Role}}}}"},"Action":"kms:*","Resource":"*"},
              {"Sid":"NoDecryptOutsideQ","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*",
               "Condition":{"StringNotEquals":{"kms:ViaService":"q.us-east-1.amazonaws.com"}}}]}
            """);
        AccessDecision Decrypt(RequestContext context) =>
            PolicyEvaluator.Evaluate(PolicySet.Resource(policy), new AccessRequest("kms:Decrypt", Key, RequestPrincipal.Aws(Role), context));

        Assert.True(Decrypt(RequestContext.Empty.With("kms:ViaService", "q.us-east-1.amazonaws.com")).IsAllowed);
        var direct = Decrypt(RequestContext.Empty);
        Assert.Equal(AccessOutcome.ExplicitlyDenied, direct.Outcome);
        Assert.Equal("key policy statement #2 (NoDecryptOutsideQ)", Assert.Single(direct.DecidingStatements).ToString());
    }
}
