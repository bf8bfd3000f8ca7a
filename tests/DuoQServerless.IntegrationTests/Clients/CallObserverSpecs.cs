using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Sns;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>Every AWS call, ours or a served SDK client's, reaches one observer: the basis of least-privilege checks.</summary>
public sealed class CallObserverSpecs(MotoFixture moto) : ClientSpec(moto)
{
    [Fact]
    public async Task Each_call_of_our_clients_is_reported_once_with_its_action_request_and_outcome()
    {
        await Assert.ThrowsAsync<AwsApiException>(() => Aws.Iam.GetRoleAsync(new GetRoleRequest("missing")));
        await Aws.Sns.CreateTopicAsync(new CreateTopicRequest("observed"));

        Assert.Equal(
            [
                new AwsCall("iam", "GetRole", new GetRoleRequest("missing"), AwsErrorCodes.NoSuchEntity),
                new AwsCall("sns", "CreateTopic", new CreateTopicRequest("observed"), null),
            ],
            Calls.Calls);
        Assert.Equal(["iam:GetRole", "sns:CreateTopic"], Calls.Actions);
    }

    [Fact]
    public async Task Served_SDK_clients_report_to_the_same_observer()
    {
        await Aws.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        await Assert.ThrowsAsync<AmazonEC2Exception>(() => Aws.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = ["sg-00000000000000000"] }));

        Assert.Equal(
            [("ec2:DescribeVpcs", null), ("ec2:DescribeSecurityGroups", "InvalidGroup.NotFound")],
            Calls.Calls.Select(c => (c.Action, c.ErrorCode)));
        Assert.IsType<DescribeSecurityGroupsRequest>(Calls.Calls[1].Request);
    }

    [Fact]
    public async Task A_served_SDK_clients_error_translates_to_the_same_exception_type()
    {
        var sdkError = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            Aws.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = ["sg-00000000000000000"] }));

        var error = AwsApiException.FromSdk(sdkError, "ec2", "DescribeSecurityGroups");

        Assert.Equal(("InvalidGroup.NotFound", HttpStatusCode.BadRequest, "ec2:DescribeSecurityGroups"), (error.ErrorCode, error.StatusCode, error.Action));
        Assert.False(string.IsNullOrEmpty(error.RequestId));
        Assert.Same(sdkError, error.InnerException);
    }
}
