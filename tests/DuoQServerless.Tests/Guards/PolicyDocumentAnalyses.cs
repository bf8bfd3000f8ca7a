using DuoQServerless.Core.Guards.Iam;

namespace DuoQServerless.Tests.Guards;

public class PolicyDocumentAnalyses
{
    private static PolicyDocumentAnalysis Of(string statements) => PolicyDocumentAnalysis.Of($$"""{"Version": "2012-10-17", "Statement": {{statements}}}""");

    [Theory]
    [InlineData("""{"Effect": "Allow", "Action": "*", "Resource": "*"}""", "allows * on *")]
    [InlineData("""[{"Effect": "Allow", "Action": ["s3:*", "iam:*"], "Resource": ["*"]}]""", "allows iam:* on *")]
    [InlineData("""{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}""", "allows every action but those in NotAction on *")]
    [InlineData("""{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}""", "allows iam:PassRole on * (privilege escalation)")]
    [InlineData("""{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}""", "allows sts:AssumeRole on * (privilege escalation)")]
    [InlineData("""{"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "arn:aws:iam::123456789012:policy/x"}""", "allows iam:CreatePolicyVersion (privilege escalation)")]
    [InlineData("""{"Effect": "Allow", "Action": "iam:Attach*", "Resource": "*"}""", "allows iam:AttachRolePolicy (privilege escalation)")]
    [InlineData("""{"Effect": "Allow", "Action": "iam:put*policy", "Resource": "*"}""", "allows iam:PutUserPolicy (privilege escalation)")]
    public void Admin_like_documents_are_recognised_with_the_reason(string statements, string reason)
    {
        var analysis = Of(statements);
        Assert.True(analysis.AdminLike);
        Assert.Contains(reason, analysis.Reasons);
    }

    [Theory]
    [InlineData("""{"Effect": "Deny", "Action": "*", "Resource": "*"}""")]
    [InlineData("""{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}""")]
    [InlineData("""{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/lambda-exec"}""")]
    [InlineData("""{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::bucket/*"}""")]
    [InlineData("""{"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"}""")]
    public void Narrow_or_denying_documents_are_not_admin_like(string statements) =>
        Assert.False(Of(statements).AdminLike);

    [Fact]
    public void An_unreadable_document_is_reported_as_such_not_as_harmless()
    {
        var analysis = PolicyDocumentAnalysis.Of("%7B%22Statement");
        Assert.False(analysis.Readable);
        Assert.False(analysis.AdminLike);
    }
}
