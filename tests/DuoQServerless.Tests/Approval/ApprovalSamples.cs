using DuoQServerless.Core.Approval;

namespace DuoQServerless.Tests.Approval;

internal static class ApprovalSamples
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static ApprovalSummary Summary(string resource = "sg-0abc1234", string userAgent = "aws-cli/2.15 md/q-developer") => new()
    {
        Risk = "public-ssh",
        Resource = resource,
        Actor = "arn:aws:sts::123456789012:assumed-role/QDeveloperAccess/agent-session",
        SourceIp = "198.51.100.7",
        UserAgent = userAgent,
        Summary = "port 22 opened to 0.0.0.0/0 on sg-0abc1234",
        CostPerHour = 0.384m,
    };

    public static ApprovalRecord Record(ApprovalSummary? summary = null, TimeoutMeans timeoutMeans = TimeoutMeans.Revert) => new()
    {
        ApprovalId = "Zx8kQ2mN4pR6tV8wY0aB1c",
        TaskToken = "AAAAKgAAAAIAAAAAAAAAAf+token/with+plus==",
        ExecutionArn = "arn:aws:states:us-east-1:123456789012:execution:duoq-approval:ev-1",
        GuardFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:duoq-public-ssh",
        Summary = summary ?? Summary(),
        FindingJson = """{"id":"ev-1:public-ssh"}""",
        TimeoutMeans = timeoutMeans,
        CreatedAt = Noon,
        ExpiresAt = Noon.AddHours(24),
    };
}
