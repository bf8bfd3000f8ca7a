using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Aws.Validation;

/// <summary>The optional parts of the setup: the customer managed key and the GitLab instance's security groups.</summary>
internal sealed class KeyAndNetworkReader(IAmazonKeyManagementService kms, IAmazonEC2 ec2)
{
    /// <summary>KMS's only key policy name.</summary>
    private const string DefaultPolicyName = "default";

    /// <summary>DescribeKey (accepts an id, ARN or alias), then GetKeyPolicy on the key id it resolved to.</summary>
    public Task<Observation<KmsKeyFacts>> KeyAsync(string keyId, CancellationToken cancellationToken) =>
        AwsObservation.ReadAsync(async ct =>
        {
            var described = await AwsObservation.SdkAsync("kms", "DescribeKey",
                () => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, ct));
            var key = described.KeyMetadata;
            var policy = await AwsObservation.SdkAsync("kms", "GetKeyPolicy",
                () => kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId, PolicyName = DefaultPolicyName }, ct));
            return Observe.Seen(new KmsKeyFacts(
                key.KeyId,
                key.Arn,
                key.Enabled ?? false,
                key.KeyManager?.Value ?? "unknown",
                key.KeyState?.Value ?? "unknown",
                policy.Policy ?? ""));
        }, cancellationToken);

    /// <summary>DescribeSecurityGroups for exactly the given groups; one missing group makes EC2 refuse them all.</summary>
    public Task<Observation<IReadOnlyList<SecurityGroupFacts>>> SecurityGroupsAsync(IReadOnlyList<string> groupIds, CancellationToken cancellationToken) =>
        AwsObservation.ReadAsync<IReadOnlyList<SecurityGroupFacts>>(async ct =>
        {
            var response = await AwsObservation.SdkAsync("ec2", "DescribeSecurityGroups",
                () => ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [.. groupIds] }, ct));
            var groups = (response.SecurityGroups ?? []).Select(g => new SecurityGroupFacts(
                g.GroupId,
                g.GroupName,
                (g.IpPermissions ?? []).Select(Rule).ToArray())).ToArray();
            var missing = groupIds.Except(groups.Select(g => g.GroupId), StringComparer.Ordinal).ToArray();
            return missing.Length > 0
                ? Observe.Absent<IReadOnlyList<SecurityGroupFacts>>($"ec2:DescribeSecurityGroups did not return {string.Join(", ", missing)}")
                : Observe.Seen<IReadOnlyList<SecurityGroupFacts>>(groups);
        }, cancellationToken);

    private static IngressRuleFacts Rule(IpPermission permission)
    {
        var protocol = permission.IpProtocol ?? "-1";
        // EC2 leaves the ports out (or answers 0/-1) for "all traffic"; the check reads null as "every port".
        var allPorts = protocol == "-1";
        return new IngressRuleFacts(
            protocol,
            allPorts ? null : permission.FromPort,
            allPorts ? null : permission.ToPort,
            (permission.Ipv4Ranges ?? []).Select(r => r.CidrIp).Where(c => !string.IsNullOrEmpty(c)).ToArray(),
            (permission.Ipv6Ranges ?? []).Select(r => r.CidrIpv6).Where(c => !string.IsNullOrEmpty(c)).ToArray(),
            (permission.PrefixListIds ?? []).Select(p => p.Id).Where(p => !string.IsNullOrEmpty(p)).ToArray(),
            (permission.UserIdGroupPairs ?? []).Select(p => p.GroupId).Where(p => !string.IsNullOrEmpty(p)).ToArray());
    }
}
