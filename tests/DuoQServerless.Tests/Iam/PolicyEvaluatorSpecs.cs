using DuoQServerless.Core.Iam;

namespace DuoQServerless.Tests.Iam;

public sealed class PolicyEvaluatorSpecs
{
    private const string Bucket = "arn:aws:s3:::reports";

    private static NamedPolicy Policy(string name, string json) => new(name, PolicyDocument.Parse(json));

    private static AccessDecision Decide(string action, string resource, params NamedPolicy[] policies) =>
        PolicyEvaluator.Evaluate(PolicySet.Identity(policies), new AccessRequest(action, resource));

    [Fact]
    public void An_explicit_deny_wins_over_an_allow_and_is_named_as_the_reason()
    {
        var allow = Policy("allow-all", """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""");
        var deny = Policy("no-deletes", """{"Version":"2012-10-17","Statement":[{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::reports/*"}]}""");

        var decision = Decide("s3:DeleteObject", "arn:aws:s3:::reports/2024.csv", allow, deny);

        Assert.Equal(AccessOutcome.ExplicitlyDenied, decision.Outcome);
        var decider = Assert.Single(decision.DecidingStatements);
        Assert.Equal("no-deletes statement #1 (NoDelete)", decider.ToString());
    }

    [Fact]
    public void Nothing_is_allowed_without_a_statement_that_allows_it()
    {
        var decision = Decide("s3:GetObject", Bucket, Policy("empty", """{"Statement":[]}"""));

        Assert.Equal(AccessOutcome.ImplicitlyDenied, decision.Outcome);
        Assert.Empty(decision.DecidingStatements);
    }

    [Theory]
    [InlineData("s3:Get*", "s3:GetObject", true)]
    [InlineData("S3:getobject", "s3:GetObject", true)]
    [InlineData("s3:Get?bject", "s3:GetObject", true)]
    [InlineData("s3:Get?", "s3:GetObject", false)]
    [InlineData("*", "kms:Decrypt", true)]
    [InlineData("s3:*", "s3express:CreateSession", false)]
    public void Actions_match_case_insensitively_with_star_and_question_mark(string pattern, string action, bool allowed)
    {
        var policy = Policy("p", $$$"""{"Statement":{"Effect":"Allow","Action":"{{{pattern}}}","Resource":"*"}}""");

        Assert.Equal(allowed, Decide(action, Bucket, policy).IsAllowed);
    }

    [Fact]
    public void NotAction_allows_every_action_except_those_listed()
    {
        var policy = Policy("p", """{"Statement":{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}}""");

        Assert.True(Decide("s3:GetObject", Bucket, policy).IsAllowed);
        Assert.False(Decide("iam:CreateUser", "*", policy).IsAllowed);
    }

    [Fact]
    public void NotResource_allows_everything_outside_the_listed_resources()
    {
        var policy = Policy("p", """{"Statement":{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secrets/*"}}""");

        Assert.True(Decide("s3:GetObject", "arn:aws:s3:::reports/a.csv", policy).IsAllowed);
        Assert.False(Decide("s3:GetObject", "arn:aws:s3:::secrets/key.pem", policy).IsAllowed);
    }

    [Fact]
    public void A_deny_with_NotResource_applies_to_every_resource_outside_the_list()
    {
        var allow = Policy("allow", """{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""");
        var deny = Policy("only-reports", """{"Statement":{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::reports","arn:aws:s3:::reports/*"]}}""");

        Assert.True(Decide("s3:GetObject", "arn:aws:s3:::reports/a.csv", allow, deny).IsAllowed);
        Assert.Equal(AccessOutcome.ExplicitlyDenied, Decide("s3:GetObject", "arn:aws:s3:::other/a.csv", allow, deny).Outcome);
    }

    [Fact]
    public void A_resource_outside_the_statement_is_not_allowed_and_the_statement_is_reported_as_a_near_miss()
    {
        var policy = Policy("plugins", """{"Statement":{"Sid":"Plugins","Effect":"Allow","Action":"q:CreatePlugin","Resource":"arn:aws:qdeveloper:*:*:plugin/Other/*"}}""");

        var decision = Decide("q:CreatePlugin", "arn:aws:qdeveloper:us-east-1:123456789012:plugin/GitLabDuoWithAmazonQ/p1", policy);

        Assert.False(decision.IsAllowed);
        var miss = Assert.Single(decision.NearMisses);
        Assert.Contains("plugin/Other/*", miss.Reason);
    }

    [Fact]
    public void A_wildcard_inside_an_ARN_segment_does_not_reach_into_the_next()
    {
        var policy = Policy("p", """{"Statement":{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:*-1:key/*"}}""");

        Assert.False(Decide("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/k1", policy).IsAllowed);
    }

    [Fact]
    public void A_wildcard_ending_an_ARN_segment_may_run_across_colons_as_IAM_documents()
    {
        var policy = Policy("p", """{"Statement":{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-*:key/*"}}""");

        Assert.True(Decide("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/k1", policy).IsAllowed);
    }

    [Fact]
    public void Resources_match_case_sensitively()
    {
        var policy = Policy("p", """{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::Reports/*"}}""");

        Assert.False(Decide("s3:GetObject", "arn:aws:s3:::reports/a.csv", policy).IsAllowed);
    }

    [Fact]
    public void A_request_for_every_resource_needs_an_allow_on_every_resource()
    {
        var scoped = Policy("scoped", """{"Statement":{"Effect":"Allow","Action":"q:SendMessage","Resource":"arn:aws:codewhisperer:*:*:profile/*"}}""");
        var everywhere = Policy("everywhere", """{"Statement":{"Effect":"Allow","Action":"q:SendMessage","Resource":"*"}}""");

        Assert.False(Decide("q:SendMessage", "*", scoped).IsAllowed);
        Assert.True(Decide("q:SendMessage", "*", everywhere).IsAllowed);
    }

    [Fact]
    public void A_deny_on_part_of_a_requested_pattern_denies_the_pattern()
    {
        var allow = Policy("allow", """{"Statement":{"Effect":"Allow","Action":"q:GetPlugin","Resource":"*"}}""");
        var deny = Policy("deny", """{"Statement":{"Effect":"Deny","Action":"q:GetPlugin","Resource":"arn:aws:qdeveloper:eu-west-1:*:plugin/*"}}""");

        var decision = Decide("q:GetPlugin", "arn:aws:qdeveloper:*:123456789012:plugin/GitLabDuoWithAmazonQ/*", allow, deny);

        Assert.Equal(AccessOutcome.ExplicitlyDenied, decision.Outcome);
    }

    [Fact]
    public void A_policy_document_with_a_single_statement_object_and_string_values_is_read()
    {
        var document = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}}""");

        var statement = Assert.Single(document.Statements);
        Assert.Equal(["sts:GetCallerIdentity"], statement.Actions.Patterns);
        Assert.Equal(["*"], statement.Resources!.Patterns);
    }

    [Fact]
    public void A_URL_encoded_document_as_IAM_returns_it_is_read()
    {
        var encoded = Uri.EscapeDataString("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"q:SendMessage","Resource":"*"}]}""");

        Assert.True(Decide("q:SendMessage", "*", new NamedPolicy("encoded", PolicyDocument.Parse(encoded))).IsAllowed);
    }

    [Theory]
    [InlineData("""{"Statement":{"Effect":"allow","Action":"s3:*"}}""", "Statement.Effect: \"allow\" is not one of Allow, Deny")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"iam:*"}]}""", "Statement[0]: has both Action and NotAction")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Resource":"*"}]}""", "Statement[0]: needs Action or NotAction")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"StringMatches":{"a":"b"}}}]}""", "Statement[0].Condition.StringMatches: is not a condition operator")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Principal":{"User":"x"}}]}""", "Statement[0].Principal.User: is not one of AWS, Federated, Service, CanonicalUser")]
    [InlineData("""{"Version":"2020-01-01","Statement":[]}""", "Version: \"2020-01-01\" is not one of 2012-10-17, 2008-10-17")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Actions":"s3:*"}]}""", "Statement[0].Actions: is not a policy element")]
    [InlineData("""not json""", "not JSON")]
    public void A_malformed_document_is_refused_with_the_field_named(string json, string expected)
    {
        var e = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(json));

        Assert.StartsWith(expected, e.Message);
    }
}
