using Amazon.EC2.Model;
using Amazon.KeyManagementService.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Cli.Demo;

/// <summary>One sample of events/ as the demo replays it: the emulator's ids put in place of the sample's.</summary>
public sealed record DemoEvent(string Sample, IReadOnlyDictionary<string, string> Ids)
{
    public string Rewrite(string eventsDirectory)
    {
        var json = File.ReadAllText(Path.Combine(eventsDirectory, Sample));
        foreach (var (sampleId, emulatorId) in Ids) json = json.Replace(sampleId, emulatorId, StringComparison.Ordinal);
        return json;
    }
}

/// <summary>
/// A small account in the emulator, made as the risky samples describe it (the agent's changes
/// included: port 22 open, an m5.24xlarge running, deletion protection off, an admin policy
/// attached), plus an Amazon Q setup for the validator with some steps deliberately wrong.
/// </summary>
public static class DemoAccount
{
    public const string InstanceUuid = "1f0e5c6a-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

    /// <summary>Seeds the account and answers the events to replay, in order.</summary>
    public static async Task<IReadOnlyList<DemoEvent>> SeedAsync(AwsClientFactory aws, CancellationToken cancellationToken)
    {
        var web = await OpenSshAsync(aws, cancellationToken);
        var big = await RunAsync(aws, "m5.24xlarge", cancellationToken);
        await RunAsync(aws, "t3.micro", cancellationToken);
        // The samples' databases live in the subnet group their snapshots name: a restore needs it.
        var subnets = (await aws.Ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest(), cancellationToken)).Subnets.Select(s => s.SubnetId).Take(2);
        await aws.Rds.Query.InvokeAsync("CreateDBSubnetGroup", new QueryParameters()
            .Add("DBSubnetGroupName", "orders-db-subnets").Add("DBSubnetGroupDescription", "orders databases")
            .AddEach("SubnetIds.SubnetIdentifier", subnets, (q, name, id) => q.Add(name, id)), cancellationToken: cancellationToken);
        await CreateDatabaseAsync(aws, "orders-prod", deletionProtection: false, cancellationToken);
        await CreateDatabaseAsync(aws, "orders-staging", deletionProtection: false, cancellationToken);
        await aws.Rds.Query.InvokeAsync("CreateDBSnapshot", new QueryParameters().Add("DBInstanceIdentifier", "orders-staging").Add("DBSnapshotIdentifier", "orders-staging-final-20250314"), cancellationToken: cancellationToken);
        await aws.Rds.Query.InvokeAsync("DeleteDBInstance", new QueryParameters().Add("DBInstanceIdentifier", "orders-staging").Add("SkipFinalSnapshot", true), cancellationToken: cancellationToken);
        await aws.Iam.Query.InvokeAsync("CreateRole", new QueryParameters().Add("RoleName", "ci-deployer").Add("AssumeRolePolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""), cancellationToken: cancellationToken);
        await aws.Iam.AttachRolePolicyAsync(new AttachRolePolicyRequest("ci-deployer", "arn:aws:iam::aws:policy/AdministratorAccess"), cancellationToken);

        return
        [
            new("ssh/risky-multi-rule-one-risky.json", web),
            new("ssh/benign-authorize-office-cidr.json", new Dictionary<string, string>()),
            new("ssh/failed-authorize-ipv4-22-unauthorized.json", new Dictionary<string, string>()),
            new("instance/risky-run-m5-24xlarge.json", new Dictionary<string, string> { ["i-0c1d2e3f4a5b60002"] = big }),
            new("instance/benign-run-t3-micro.json", new Dictionary<string, string>()),
            new("rds/risky-modify-instance-deletion-protection-off.json", new Dictionary<string, string>()),
            new("rds/risky-delete-instance-with-final-snapshot.json", new Dictionary<string, string>()),
            new("iam/risky-attach-role-policy-administrator-access.json", new Dictionary<string, string>()),
            new("iam/benign-attach-role-policy-readonly.json", new Dictionary<string, string>()),
        ];
    }

    /// <summary>The Amazon Q setup of GitLab's guide with three steps wrong: a 1 h session,
    /// a key policy without the kms:ViaService condition, and a security group missing one of
    /// Amazon Q's addresses. Answers the key id and group id to validate.</summary>
    public static async Task<(string KeyId, string GroupId)> SeedAmazonQSetupAsync(AwsClientFactory aws, CancellationToken cancellationToken)
    {
        var account = "123456789012";
        var provider = $"auth.token.gitlab.com/cc/oidc/{InstanceUuid}";
        await aws.Iam.Query.InvokeAsync("CreateOpenIDConnectProvider", new QueryParameters()
            .Add("Url", $"https://{provider}")
            .Add("ClientIDList.member.1", $"gitlab-cc-{InstanceUuid}")
            .Add("ThumbprintList.member.1", "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"), cancellationToken: cancellationToken);
        var trust = $$$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity","Principal":{"Federated":"arn:aws:iam::{{{{account}}}}:oidc-provider/{{{{provider}}}}"},"Condition":{"StringEquals":{"{{{{provider}}}}:aud":"gitlab-cc-{{{{InstanceUuid}}}}"}}}]}""";
        await aws.Iam.Query.InvokeAsync("CreateRole", new QueryParameters().Add("RoleName", DuoQSetupFacts.DefaultRoleName).Add("AssumeRolePolicyDocument", trust).Add("MaxSessionDuration", 3600), cancellationToken: cancellationToken);
        await aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest(DuoQSetupFacts.DefaultRoleName, DuoQGuide.InlinePolicyName, DuoQGuide.PermissionsPolicyDocument), cancellationToken);

        var key = await aws.Kms.CreateKeyAsync(new CreateKeyRequest { Description = "Amazon Q Developer in GitLab" }, cancellationToken);
        var actions = string.Join(",", DuoQGuide.KeyActions.Select(a => $"\"{a}\""));
        await aws.Kms.PutKeyPolicyAsync(new PutKeyPolicyRequest
        {
            KeyId = key.KeyMetadata.KeyId,
            PolicyName = "default",
            Policy = $$$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{{{account}}}}:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{{{account}}}}:role/{{{{DuoQSetupFacts.DefaultRoleName}}}}"},"Action":[{{{{actions}}}}],"Resource":"*"}]}""",
        }, cancellationToken);

        var group = await aws.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest("gitlab", "GitLab instance"), cancellationToken);
        await aws.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = group.GroupId,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 443, ToPort = 443, Ipv4Ranges = [new IpRange { CidrIp = "34.228.181.128/32" }, new IpRange { CidrIp = "44.219.176.187/32" }] }],
        }, cancellationToken);
        return (key.KeyMetadata.KeyId, group.GroupId);
    }

    // The group of ssh/risky-multi-rule-one-risky.json with the three rules that event added.
    private static async Task<Dictionary<string, string>> OpenSshAsync(AwsClientFactory aws, CancellationToken cancellationToken)
    {
        var groupId = (await aws.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest("web", "web servers"), cancellationToken)).GroupId;
        await aws.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = groupId,
            IpPermissions =
            [
                new IpPermission { IpProtocol = "tcp", FromPort = 443, ToPort = 443, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] },
                new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "198.51.100.0/24" }, new IpRange { CidrIp = "0.0.0.0/0" }] },
            ],
        }, cancellationToken);
        var rules = (await aws.Ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [groupId])] }, cancellationToken))
            .SecurityGroupRules.Where(r => r.IsEgress != true).ToList();
        string RuleId(int port, string cidr) => rules.Single(r => r.FromPort == port && r.CidrIpv4 == cidr).SecurityGroupRuleId;
        return new Dictionary<string, string>
        {
            ["sg-0f3a9c2d7b1e45a01"] = groupId,
            ["sgr-0a11b22c33d44e506"] = RuleId(443, "0.0.0.0/0"),
            ["sgr-0a11b22c33d44e507"] = RuleId(22, "198.51.100.0/24"),
            ["sgr-0a11b22c33d44e508"] = RuleId(22, "0.0.0.0/0"),
        };
    }

    private static async Task<string> RunAsync(AwsClientFactory aws, string type, CancellationToken cancellationToken) =>
        (await aws.Ec2.RunInstancesAsync(new RunInstancesRequest("ami-12c6146b", 1, 1) { InstanceType = type }, cancellationToken)).Reservation.Instances[0].InstanceId;

    private static Task CreateDatabaseAsync(AwsClientFactory aws, string name, bool deletionProtection, CancellationToken cancellationToken) =>
        aws.Rds.Query.InvokeAsync("CreateDBInstance", new QueryParameters()
            .Add("DBInstanceIdentifier", name).Add("DBInstanceClass", "db.m5.large").Add("Engine", "postgres")
            .Add("MasterUsername", "app").Add("MasterUserPassword", "demo-password-1").Add("AllocatedStorage", 20)
            .Add("DBSubnetGroupName", "orders-db-subnets")
            .Add("DeletionProtection", deletionProtection), cancellationToken: cancellationToken);
}
