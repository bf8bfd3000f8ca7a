using System.Net;
using DuoQServerless.Core.Iam;

namespace DuoQServerless.Core.Validation.Checks;

/// <summary>
/// Check 6: the GitLab instance's security groups accept TCP on its HTTPS port from each Amazon Q
/// address. A wider block containing an address counts; 0.0.0.0/0 counts but is a warning.
/// </summary>
internal static class NetworkCheck
{
    private static CheckDefinition Check => DuoQChecks.Network;

    public static CheckResult Run(SetupContext context)
    {
        var port = context.Facts.HttpsPort;
        IReadOnlyList<SecurityGroupFacts> groups;
        switch (context.Facts.SecurityGroups)
        {
            case Observation<IReadOnlyList<SecurityGroupFacts>>.NotAsked notAsked:
                return Check.Skipped(notAsked.Why, "Pass --security-group with the groups of the GitLab instance (or its load balancer).");
            case Observation<IReadOnlyList<SecurityGroupFacts>>.Absent absent:
                return Check.Fail([$"the security group does not exist: {absent.What}"], Fixes.OpenIngress(port, [], DuoQGuide.AmazonQAddresses));
            case Observation<IReadOnlyList<SecurityGroupFacts>>.Unavailable unavailable:
                return Check.Fail([$"could not read the security groups: {unavailable.Error}"], Fixes.ValidatorAccess("ec2:DescribeSecurityGroups"));
            case Observation<IReadOnlyList<SecurityGroupFacts>>.Seen seen:
                groups = seen.Value;
                break;
            default:
                throw new System.Diagnostics.UnreachableException();
        }

        var openings = groups
            .SelectMany(g => g.Ingress.Where(r => ReachesPort(r, port)).SelectMany(r => Blocks(g, r)))
            .ToArray();
        var groupIds = groups.Select(g => g.GroupId).ToArray();
        var evidence = new List<string>();
        var missing = new List<string>();
        foreach (var address in DuoQGuide.AmazonQAddresses)
        {
            var ip = IPAddress.Parse(address);
            var through = openings.Where(o => o.Range.Contains(ip)).ToArray();
            if (through.Length == 0)
            {
                missing.Add(address);
                evidence.Add($"{address}: no inbound rule in [{string.Join(", ", groupIds)}] allows TCP {port}");
            }
            else
            {
                evidence.Add($"{address}: allowed on TCP {port} by {string.Join(", ", through.Select(o => $"{o.GroupId} {o.Range}"))}");
            }
        }

        var unexpanded = groups.SelectMany(g => g.Ingress.Where(r => ReachesPort(r, port))
                .SelectMany(r => (r.PrefixListIds ?? []).Concat(r.SourceGroupIds ?? []).Select(source => $"{g.GroupId} {source}")))
            .ToArray();
        if (unexpanded.Length > 0)
            evidence.Add($"rules from prefix lists or security groups are not expanded: {string.Join(", ", unexpanded)}");

        if (missing.Count > 0) return Check.Fail(evidence, Fixes.OpenIngress(port, groupIds, missing));

        var world = openings.Where(o => o.Range.IsEverything).ToArray();
        if (world.Length == 0) return Check.Pass(evidence);
        evidence.Add($"TCP {port} is open to the whole internet through {string.Join(", ", world.Select(o => $"{o.GroupId} {o.Range}"))}");
        return Check.Warn(evidence, Fixes.NarrowIngress(port));
    }

    private static bool ReachesPort(IngressRuleFacts rule, int port) => rule.IpProtocol.ToLowerInvariant() switch
    {
        "-1" or "all" => true,
        "tcp" or "6" => rule.FromPort is not { } from || rule.ToPort is not { } to || (from <= port && port <= to) || (from == -1 && to == -1),
        _ => false,
    };

    private static IEnumerable<(string GroupId, IpRange Range)> Blocks(SecurityGroupFacts group, IngressRuleFacts rule) =>
        rule.Ipv4Cidrs.Concat(rule.Ipv6Cidrs ?? [])
            .Select(cidr => IpRange.TryParse(cidr, out var range) ? range : null)
            .OfType<IpRange>()
            .Select(range => (group.GroupId, range));
}
