using DuoQServerless.Core.Iam;

namespace DuoQServerless.Tests.Iam;

public sealed class GlobSpecs
{
    [Theory]
    [InlineData("*", "arn:aws:qdeveloper:*:*:plugin/GitLabDuoWithAmazonQ/*", true)]
    [InlineData("arn:aws:qdeveloper:*:*:plugin/GitLabDuoWithAmazonQ/*", "arn:aws:qdeveloper:us-east-1:123456789012:plugin/GitLabDuoWithAmazonQ/*", true)]
    [InlineData("arn:aws:qdeveloper:us-east-1:123456789012:plugin/GitLabDuoWithAmazonQ/*", "arn:aws:qdeveloper:*:*:plugin/GitLabDuoWithAmazonQ/*", false)]
    [InlineData("arn:aws:qdeveloper:*:*:plugin/Other/*", "arn:aws:qdeveloper:*:*:plugin/GitLabDuoWithAmazonQ/*", false)]
    [InlineData("arn:aws:qdeveloper:*:*:plugin/*", "arn:aws:qdeveloper:*:*:plugin/GitLabDuoWithAmazonQ/*", true)]
    [InlineData("arn:aws:s3:::a?c", "arn:aws:s3:::a*c", false)]
    public void A_pattern_covers_another_only_when_it_matches_everything_the_other_matches(string outer, string inner, bool covers)
    {
        Assert.Equal(covers, ResourcePattern.Covers(outer, inner));
    }

    [Theory]
    [InlineData("arn:aws:qdeveloper:eu-*:*:plugin/*", "arn:aws:qdeveloper:*:123456789012:plugin/GitLabDuoWithAmazonQ/*", true)]
    [InlineData("arn:aws:s3:::logs/*", "arn:aws:s3:::reports/*", false)]
    [InlineData("arn:aws:s3:::*", "*", true)]
    public void Two_patterns_overlap_when_some_resource_matches_both(string a, string b, bool overlap)
    {
        Assert.Equal(overlap, ResourcePattern.Overlaps(a, b));
        Assert.Equal(overlap, ResourcePattern.Overlaps(b, a));
    }

    [Fact]
    public void A_long_hostile_value_is_answered_without_exhausting_the_stack()
    {
        var value = new string('a', 100_000);

        Assert.False(Glob.Matches("*b", value, ignoreCase: false));
        Assert.True(Glob.Overlaps("*", value, ignoreCase: false));
    }
}
