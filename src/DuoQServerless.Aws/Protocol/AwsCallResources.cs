using Amazon.DynamoDBv2.Model;
using Amazon.EC2.Model;
using Amazon.KeyManagementService.Model;
using Amazon.S3.Model;
using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Aws.Events;
using DuoQServerless.Aws.StepFunctions;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// Which resources IAM authorizes a call against, read from the request: one rule per service,
/// as data. The project's Query clients (IAM, RDS, SNS) are read through the parameters they sent,
/// whose names say what they name (RoleName, DBInstanceIdentifier, TopicArn...); the served SDK
/// clients and Step Functions through their request types. A call with no resource-level
/// permission (ec2:Describe*, list calls, task-token calls) is <c>"*"</c>.
/// </summary>
public static class AwsCallResources
{
    private const string Every = "*";

    private sealed record Scope(string Region, string Account)
    {
        public string Arn(string service, string resource, bool regional = true) =>
            $"arn:aws:{service}:{(regional ? Region : "")}:{Account}:{resource}";
    }

    /// <summary>Query parameter name → the ARN it names, per service, in order of precedence
    /// (iam:DetachRolePolicy names a role and a policy: IAM authorizes it on the role).</summary>
    private static readonly Dictionary<string, (string Parameter, Func<string, Scope, string> Arn)[]> QueryNames = new(StringComparer.Ordinal)
    {
        ["iam"] =
        [
            ("RoleName", (name, s) => s.Arn("iam", $"role/{name}", regional: false)),
            ("UserName", (name, s) => s.Arn("iam", $"user/{name}", regional: false)),
            ("GroupName", (name, s) => s.Arn("iam", $"group/{name}", regional: false)),
            ("PolicyArn", (arn, _) => arn),
            ("OpenIDConnectProviderArn", (arn, _) => arn),
        ],
        ["rds"] =
        [
            ("ResourceName", (arn, _) => arn),
            ("DBInstanceIdentifier", (id, s) => s.Arn("rds", $"db:{id}")),
            ("DBClusterIdentifier", (id, s) => s.Arn("rds", $"cluster:{id}")),
            ("DBSnapshotIdentifier", (id, s) => s.Arn("rds", $"snapshot:{id}")),
            ("SnapshotIdentifier", (id, s) => s.Arn("rds", $"cluster-snapshot:{id}")),
        ],
        ["sns"] = [("TopicArn", (arn, _) => arn)],
    };

    /// <summary>Query actions IAM authorizes on every named resource at once (a restore acts on the
    /// snapshot read and the database created); the others on the first name found.</summary>
    private static readonly HashSet<string> AllNamed = new(StringComparer.Ordinal)
    {
        "rds:RestoreDBInstanceFromDBSnapshot", "rds:RestoreDBClusterFromSnapshot",
    };

    public static IReadOnlyList<string> Of(AwsCall call, string accountId)
    {
        var scope = new Scope(call.Region, accountId);
        if (call.Parameters is { } parameters && QueryNames.TryGetValue(call.Service, out var names))
            return FromParameters(call.Action, parameters, names, scope);
        return call.Request switch
        {
            RevokeSecurityGroupIngressRequest r => [scope.Arn("ec2", $"security-group/{r.GroupId}")],
            CreateTagsRequest r => (r.Resources ?? []).Select(id => scope.Arn("ec2", Ec2Resource(id))).ToArray(),
            StopInstancesRequest r => (r.InstanceIds ?? []).Select(id => scope.Arn("ec2", $"instance/{id}")).ToArray(),
            GetItemRequest r => [Table(scope, r.TableName)],
            PutItemRequest r => [Table(scope, r.TableName)],
            UpdateItemRequest r => [Table(scope, r.TableName)],
            DeleteItemRequest r => [Table(scope, r.TableName)],
            ScanRequest r => [Table(scope, r.TableName)],
            GetParameterRequest r => [scope.Arn("ssm", "parameter" + (r.Name.StartsWith('/') ? r.Name : "/" + r.Name))],
            PutObjectRequest r => [$"arn:aws:s3:::{r.BucketName}/{r.Key}"],
            DescribeKeyRequest r => [Key(scope, r.KeyId)],
            GetKeyPolicyRequest r => [Key(scope, r.KeyId)],
            StartExecutionRequest r => [r.StateMachineArn],
            DescribeExecutionRequest r => [r.ExecutionArn],
            RuleRequest r => [scope.Arn("events", r.EventBusName is null or "default" ? $"rule/{r.Name}" : $"rule/{r.EventBusName}/{r.Name}")],
            _ => [Every],
        };
    }

    /// <summary>dynamodb:LeadingKeys: the partition key values a DynamoDB item call touches.</summary>
    public static IReadOnlyDictionary<string, string[]> ConditionKeysOf(AwsCall call)
    {
        var key = call.Request switch
        {
            PutItemRequest r => r.Item,
            GetItemRequest r => r.Key,
            UpdateItemRequest r => r.Key,
            DeleteItemRequest r => r.Key,
            _ => null,
        };
        return key is not null && key.TryGetValue("id", out var id) && id.S is { } value
            ? new Dictionary<string, string[]> { ["dynamodb:LeadingKeys"] = [value] }
            : new Dictionary<string, string[]>();
    }

    private static string[] FromParameters(string action, QueryParameters parameters, (string Parameter, Func<string, Scope, string> Arn)[] names, Scope scope)
    {
        var found = names
            .SelectMany(n => parameters.Values.Where(v => v.Key == n.Parameter).Select(v => n.Arn(v.Value, scope)))
            .ToArray();
        if (found.Length == 0) return [Every];
        return AllNamed.Contains(action) ? found : [found[0]];
    }

    private static string Ec2Resource(string id) => id switch
    {
        _ when id.StartsWith("sg-", StringComparison.Ordinal) => $"security-group/{id}",
        _ when id.StartsWith("i-", StringComparison.Ordinal) => $"instance/{id}",
        _ when id.StartsWith("vpc-", StringComparison.Ordinal) => $"vpc/{id}",
        _ => id,
    };

    private static string Table(Scope scope, string name) => scope.Arn("dynamodb", $"table/{name}");

    private static string Key(Scope scope, string keyId) => keyId switch
    {
        _ when keyId.StartsWith("arn:", StringComparison.Ordinal) => keyId,
        _ when keyId.StartsWith("alias/", StringComparison.Ordinal) => scope.Arn("kms", keyId),
        _ => scope.Arn("kms", $"key/{keyId}"),
    };
}
