using DuoQServerless.Core.Iam;

namespace DuoQServerless.Tests.Iam;

/// <summary>Condition operators as IAM evaluates them, through statements that allow kms:Decrypt.</summary>
public sealed class ConditionSpecs
{
    private const string Key = "arn:aws:kms:us-east-1:123456789012:key/k1";

    private static bool Allowed(string condition, RequestContext context)
    {
        var policy = PolicyDocument.Parse("""{"Statement":{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":""" + condition + "}}");
        return PolicyEvaluator.Evaluate(PolicySet.Identity(new NamedPolicy("p", policy)), new AccessRequest("kms:Decrypt", Key, Context: context)).IsAllowed;
    }

    private static RequestContext With(string key, params string[] values) => RequestContext.Empty.With(key, values);

    [Fact]
    public void StringEquals_holds_only_for_an_exact_case_sensitive_value()
    {
        const string condition = """{"StringEquals":{"kms:ViaService":["q.us-east-1.amazonaws.com","s3.us-east-1.amazonaws.com"]}}""";

        Assert.True(Allowed(condition, With("kms:ViaService", "q.us-east-1.amazonaws.com")));
        Assert.False(Allowed(condition, With("kms:ViaService", "Q.us-east-1.amazonaws.com")));
        Assert.False(Allowed(condition, With("kms:ViaService", "ec2.us-east-1.amazonaws.com")));
    }

    [Fact]
    public void A_condition_on_a_key_the_request_lacks_does_not_hold()
    {
        Assert.False(Allowed("""{"StringEquals":{"kms:ViaService":"q.us-east-1.amazonaws.com"}}""", RequestContext.Empty));
    }

    [Fact]
    public void Condition_key_names_are_case_insensitive()
    {
        Assert.True(Allowed("""{"StringEquals":{"KMS:VIASERVICE":"q.us-east-1.amazonaws.com"}}""", With("kms:ViaService", "q.us-east-1.amazonaws.com")));
    }

    [Fact]
    public void IfExists_holds_when_the_key_is_absent_and_tests_it_when_present()
    {
        const string condition = """{"StringEqualsIfExists":{"kms:ViaService":"q.us-east-1.amazonaws.com"}}""";

        Assert.True(Allowed(condition, RequestContext.Empty));
        Assert.False(Allowed(condition, With("kms:ViaService", "s3.us-east-1.amazonaws.com")));
    }

    [Fact]
    public void StringNotEquals_holds_for_other_values_and_for_an_absent_key()
    {
        const string condition = """{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}""";

        Assert.True(Allowed(condition, With("aws:RequestedRegion", "us-east-1")));
        Assert.False(Allowed(condition, With("aws:RequestedRegion", "eu-west-1")));
        Assert.True(Allowed(condition, RequestContext.Empty));
    }

    [Fact]
    public void StringLike_matches_wildcards()
    {
        const string condition = """{"StringLike":{"kms:ViaService":"q.*.amazonaws.com"}}""";

        Assert.True(Allowed(condition, With("kms:ViaService", "q.eu-central-1.amazonaws.com")));
        Assert.False(Allowed(condition, With("kms:ViaService", "sqs.eu-central-1.amazonaws.com")));
    }

    [Fact]
    public void ArnLike_compares_each_ARN_segment_on_its_own()
    {
        const string condition = """{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/QDeveloper*"}}""";

        Assert.True(Allowed(condition, With("aws:PrincipalArn", "arn:aws:iam::123456789012:role/QDeveloperAccess")));
        Assert.False(Allowed(condition, With("aws:PrincipalArn", "arn:aws:iam::123456789012:user/QDeveloperAccess")));
    }

    [Fact]
    public void ArnEquals_needs_the_same_ARN()
    {
        const string condition = """{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:alerts"}}""";

        Assert.True(Allowed(condition, With("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:alerts")));
        Assert.False(Allowed(condition, With("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:other")));
    }

    [Fact]
    public void Bool_compares_true_and_false_written_as_JSON_booleans_or_strings()
    {
        Assert.True(Allowed("""{"Bool":{"aws:SecureTransport":true}}""", With("aws:SecureTransport", "true")));
        Assert.False(Allowed("""{"Bool":{"aws:SecureTransport":"true"}}""", With("aws:SecureTransport", "false")));
    }

    [Fact]
    public void Numeric_and_date_operators_compare_the_request_value_to_the_policy_value()
    {
        Assert.True(Allowed("""{"NumericLessThanEquals":{"s3:max-keys":10}}""", With("s3:max-keys", "10")));
        Assert.False(Allowed("""{"NumericLessThan":{"s3:max-keys":"10"}}""", With("s3:max-keys", "11")));
        Assert.True(Allowed("""{"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}""", With("aws:CurrentTime", "2025-06-01T12:00:00Z")));
        Assert.False(Allowed("""{"DateLessThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}""", With("aws:CurrentTime", "2025-06-01T12:00:00Z")));
    }

    [Fact]
    public void IpAddress_and_NotIpAddress_test_the_source_address_against_CIDR_blocks()
    {
        Assert.True(Allowed("""{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}""", With("aws:SourceIp", "203.0.113.9")));
        Assert.False(Allowed("""{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}""", With("aws:SourceIp", "198.51.100.9")));
        Assert.False(Allowed("""{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}""", With("aws:SourceIp", "203.0.113.9")));
    }

    [Fact]
    public void Null_true_holds_only_when_the_key_is_absent()
    {
        Assert.True(Allowed("""{"Null":{"aws:TokenIssueTime":"true"}}""", RequestContext.Empty));
        Assert.False(Allowed("""{"Null":{"aws:TokenIssueTime":"true"}}""", With("aws:TokenIssueTime", "2025-01-01T00:00:00Z")));
    }

    [Fact]
    public void ForAllValues_needs_every_request_value_listed_and_holds_for_an_absent_key()
    {
        const string condition = """{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}""";

        Assert.True(Allowed(condition, With("aws:TagKeys", "team", "env")));
        Assert.False(Allowed(condition, With("aws:TagKeys", "team", "owner")));
        Assert.True(Allowed(condition, RequestContext.Empty));
    }

    [Fact]
    public void ForAnyValue_needs_one_request_value_listed_and_fails_for_an_absent_key()
    {
        const string condition = """{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}""";

        Assert.True(Allowed(condition, With("aws:TagKeys", "owner", "team")));
        Assert.False(Allowed(condition, With("aws:TagKeys", "owner")));
        Assert.False(Allowed(condition, RequestContext.Empty));
    }

    [Fact]
    public void Every_clause_of_a_statement_must_hold()
    {
        const string condition = """{"StringEquals":{"kms:ViaService":"q.us-east-1.amazonaws.com","kms:CallerAccount":"123456789012"}}""";

        Assert.True(Allowed(condition, With("kms:ViaService", "q.us-east-1.amazonaws.com").With("kms:CallerAccount", "123456789012")));
        Assert.False(Allowed(condition, With("kms:ViaService", "q.us-east-1.amazonaws.com").With("kms:CallerAccount", "999999999999")));
    }
}
