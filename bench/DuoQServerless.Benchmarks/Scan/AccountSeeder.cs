using Amazon.EC2;
using Amazon.EC2.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Benchmarks.Scan;

/// <summary>What one account size holds; the shares are fixed so sizes compare.</summary>
public sealed record AccountShape(int SecurityGroups)
{
    /// <summary>One group in ten is open to the world on 22 (a finding); one in ten more on 443 (benign).</summary>
    public int WorldOpenOn22 => Count(SecurityGroups, 10, 0);
    public int Instances => SecurityGroups / 10;
    /// <summary>One running instance in ten is oversized (m5.24xlarge); the rest are t3.micro.</summary>
    public int OversizedInstances => Count(Instances, 10, 0);
    public int Roles => SecurityGroups / 20;
    /// <summary>One role in five holds AdministratorAccess.</summary>
    public int AdminRoles => Count(Roles, 5, 0);

    public static int Count(int total, int every, int offset) => Enumerable.Range(0, total).Count(i => i % every == offset);
}

/// <summary>
/// Fills moto with an account of a given shape over its HTTP API, several requests in flight.
/// Seeding is not measured; it grows the account from the previous size, so 100, 1,000, 10,000
/// reuse what is already there (the shares stay exact because they depend only on the index).
/// </summary>
public sealed class AccountSeeder(AwsClientFactory aws, int concurrency = 4)
{
    private const string TrustPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string AdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess";

    private AccountShape _seeded = new(0);

    public async Task GrowToAsync(AccountShape shape, CancellationToken cancellationToken = default)
    {
        var from = _seeded;
        await ForEachAsync(from.SecurityGroups, shape.SecurityGroups, CreateGroupAsync, cancellationToken);
        await ForEachAsync(from.Instances, shape.Instances, RunInstanceAsync, cancellationToken);
        await ForEachAsync(from.Roles, shape.Roles, CreateRoleAsync, cancellationToken);
        _seeded = shape;
    }

    private Task ForEachAsync(int from, int to, Func<int, CancellationToken, Task> seed, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(from, Math.Max(0, to - from)),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, token) => await seed(i, token));

    private async Task CreateGroupAsync(int i, CancellationToken cancellationToken)
    {
        var tags = new List<Tag> { new("Name", $"bench-{i}") };
        if (i % 100 == 0) tags.Add(new Tag("duoq:exempt", "true")); // one world-open group in ten is accepted
        var created = await aws.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
        {
            GroupName = $"bench-sg-{i:00000}",
            Description = "benchmark group",
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.SecurityGroup, Tags = tags }],
        }, cancellationToken);
        var port = (i % 10) switch { 0 => 22, 5 => 443, _ => 0 };
        if (port == 0) return;
        await aws.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = created.GroupId,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = port, ToPort = port, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }],
        }, cancellationToken);
    }

    private async Task RunInstanceAsync(int i, CancellationToken cancellationToken) =>
        await aws.Ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = "ami-12c6146b",
            MinCount = 1,
            MaxCount = 1,
            InstanceType = i % 10 == 0 ? InstanceType.M524xlarge : InstanceType.T3Micro,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Tag("Name", $"bench-{i}")] }],
        }, cancellationToken);

    private async Task CreateRoleAsync(int i, CancellationToken cancellationToken)
    {
        var name = $"bench-role-{i:00000}";
        await aws.Iam.Query.InvokeAsync("CreateRole",
            new QueryParameters().Add("RoleName", name).Add("AssumeRolePolicyDocument", TrustPolicy), cancellationToken: cancellationToken);
        if (i % 5 == 0)
            await aws.Iam.Query.InvokeAsync("AttachRolePolicy",
                new QueryParameters().Add("RoleName", name).Add("PolicyArn", AdministratorAccess), cancellationToken: cancellationToken);
    }
}
