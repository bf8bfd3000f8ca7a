using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Guards.Instances;
using DuoQServerless.Core.Policy;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Aws.Reporting;

/// <summary>
/// Every scan the compliance report runs, set up from the guards' policy: each risk's thresholds
/// and exemption tag, as its guard reads them. The scheduled function and `duoq report` both use it.
/// </summary>
public static class ComplianceScanners
{
    /// <summary>
    /// The largest page each listing allows. Left unset, EC2's DescribeInstances and IAM's listings
    /// answer 100 items a page, so an account with 1,000 instances cost ten round trips where one does.
    /// </summary>
    public const int Ec2PageSize = 1000, IamPageSize = 1000, RdsPageSize = 100;

    /// <param name="now">The run's clock reading, which access keys are aged against.</param>
    public static IReadOnlyList<IAccountScanner> For(GuardPolicy policy, RegionalClients clients, DateTimeOffset now) =>
    [
        new SecurityGroupScanner(clients.Ec2, policy.PublicSsh, AcceptancePolicy.For(policy, Risk.PublicSsh), Ec2PageSize),
        new RunningInstanceScanner(clients.Ec2, InstanceSizing.Judge(policy.OversizedInstance, InstancePrices.Bundled), AcceptancePolicy.For(policy, Risk.OversizedInstance), Ec2PageSize),
        new DatabaseScanner(clients.Rds, AcceptancePolicy.For(policy, Risk.RdsDeletionProtectionOff), RdsPageSize),
        new AdminPrincipalScanner(clients.Iam(AccountScan.GlobalRegion), policy.IamChange, AcceptancePolicy.For(policy, Risk.IamChange), IamPageSize),
        new AccessKeyScanner(clients.Iam(AccountScan.GlobalRegion), policy.IamChange.AccessKeyMaxAgeDays, now, AcceptancePolicy.For(policy, Risk.IamChange), IamPageSize),
    ];

    /// <summary>The IAM actions these scans call, for the report function's role (template.yaml) and its spec.</summary>
    public static readonly IReadOnlyList<string> Actions =
    [
        "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
        "rds:DescribeDBInstances", "rds:DescribeDBClusters",
        "iam:GetAccountAuthorizationDetails", "iam:ListUsers", "iam:ListAccessKeys", "iam:ListUserTags",
    ];
}
