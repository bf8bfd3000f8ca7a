using Amazon.DynamoDBv2.Model;
using Amazon.EC2.Model;
using Amazon.S3.Model;
using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.StepFunctions;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>A recorded call names the ARNs IAM authorizes it against, read from its request.</summary>
public sealed class AwsCallResourceSpecs
{
    private const string Account = "123456789012";

    private static IReadOnlyList<string> ResourcesOf(string service, string operation, object request, QueryParameters? parameters = null) =>
        new AwsCall(service, operation, request, null) { Region = "eu-west-1", Parameters = parameters }.ResourcesIn(Account);

    [Fact]
    public void A_revoke_acts_on_its_security_group_and_a_describe_on_every_resource()
    {
        Assert.Equal(["arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc"], ResourcesOf("ec2", "RevokeSecurityGroupIngress", new RevokeSecurityGroupIngressRequest { GroupId = "sg-0abc" }));
        Assert.Equal(["*"], ResourcesOf("ec2", "DescribeSecurityGroups", new DescribeSecurityGroupsRequest()));
    }

    [Fact]
    public void Tags_and_stops_act_on_each_instance_or_group_named()
    {
        Assert.Equal(
            ["arn:aws:ec2:eu-west-1:123456789012:instance/i-1", "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-2"],
            ResourcesOf("ec2", "CreateTags", new CreateTagsRequest { Resources = ["i-1", "sg-2"] }));
        Assert.Equal(["arn:aws:ec2:eu-west-1:123456789012:instance/i-1"], ResourcesOf("ec2", "StopInstances", new StopInstancesRequest { InstanceIds = ["i-1"] }));
    }

    [Fact]
    public void An_iam_call_acts_on_the_principal_it_names_before_the_policy()
    {
        var detach = new QueryParameters().Add("RoleName", "ci").Add("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
        Assert.Equal(["arn:aws:iam::123456789012:role/ci"], ResourcesOf("iam", "DetachRolePolicy", detach, detach));
        var get = new QueryParameters().Add("PolicyArn", "arn:aws:iam::123456789012:policy/p");
        Assert.Equal(["arn:aws:iam::123456789012:policy/p"], ResourcesOf("iam", "GetPolicy", get, get));
        Assert.Equal(["*"], ResourcesOf("iam", "ListUsers", new QueryParameters(), new QueryParameters()));
    }

    [Fact]
    public void A_restore_acts_on_the_snapshot_read_and_the_database_created()
    {
        var restore = new QueryParameters().Add("DBInstanceIdentifier", "orders").Add("DBSnapshotIdentifier", "orders-final");
        Assert.Equal(
            ["arn:aws:rds:eu-west-1:123456789012:db:orders", "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-final"],
            ResourcesOf("rds", "RestoreDBInstanceFromDBSnapshot", restore, restore));
    }

    [Fact]
    public void Tables_parameters_objects_topics_and_state_machines_are_named_by_their_arns()
    {
        Assert.Equal(["arn:aws:dynamodb:eu-west-1:123456789012:table/duoq-audit"], ResourcesOf("dynamodb", "PutItem", new PutItemRequest { TableName = "duoq-audit" }));
        Assert.Equal(["arn:aws:ssm:eu-west-1:123456789012:parameter/duoq/policy"], ResourcesOf("ssm", "GetParameter", new GetParameterRequest { Name = "/duoq/policy" }));
        Assert.Equal(["arn:aws:s3:::reports/reports/a.json"], ResourcesOf("s3", "PutObject", new PutObjectRequest { BucketName = "reports", Key = "reports/a.json" }));
        var publish = new QueryParameters().Add("TopicArn", "arn:aws:sns:eu-west-1:123456789012:findings");
        Assert.Equal(["arn:aws:sns:eu-west-1:123456789012:findings"], ResourcesOf("sns", "Publish", publish, publish));
        Assert.Equal(["arn:aws:states:eu-west-1:123456789012:stateMachine:duoq-approval"],
            ResourcesOf("states", "StartExecution", new StartExecutionRequest("arn:aws:states:eu-west-1:123456789012:stateMachine:duoq-approval")));
        Assert.Equal(["*"], ResourcesOf("states", "SendTaskSuccess", new SendTaskSuccessRequest("token", "{}")));
    }

    [Fact]
    public void A_dynamodb_item_call_names_its_partition_key_for_leading_keys_conditions()
    {
        var call = new AwsCall("dynamodb", "PutItem", new PutItemRequest { TableName = "t", Item = new() { ["id"] = new AttributeValue { S = "report#last" } } }, null);

        Assert.Equal(["report#last"], call.ConditionKeys["dynamodb:LeadingKeys"]);
    }
}
