using Amazon.EC2;
using Amazon.EC2.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Protocol;
using Iam = DuoQServerless.Aws.Iam;
using Rds = DuoQServerless.Aws.Rds;

namespace DuoQServerless.Benchmarks.Scan;

/// <summary>
/// The floor's unit: one request of a kind the scan made, issued alone — the first request the
/// scan made of that action (same page size, same filters, no page token), through the same
/// clients, against the same seeded account. Its time is everything one request costs that is
/// not the scan's own: signing, HTTP, moto answering, the client reading the answer.
/// </summary>
public static class SingleRequests
{
    /// <summary>Makes one request like <paramref name="first"/>; throws for a request kind it does not know, so a new scanner is noticed.</summary>
    public static Func<CancellationToken, Task> For(AwsCall first, AwsClientFactory aws) => first.Request switch
    {
        DescribeSecurityGroupsRequest r => async ct => await aws.Ec2.DescribeSecurityGroupsAsync(
            new DescribeSecurityGroupsRequest { MaxResults = r.MaxResults, Filters = r.Filters, GroupIds = r.GroupIds }, ct),
        DescribeInstancesRequest r => async ct => await aws.Ec2.DescribeInstancesAsync(
            new DescribeInstancesRequest { MaxResults = r.MaxResults, Filters = r.Filters }, ct),
        Iam.GetAccountAuthorizationDetailsRequest r => async ct => await aws.Iam.GetAccountAuthorizationDetailsAsync(r, ct),
        Iam.ListUsersRequest r => async ct => await FirstPageAsync(aws.Iam.ListUsersAsync(r, ct)),
        Rds.DescribeDBInstancesRequest r => async ct => await FirstPageAsync(aws.Rds.DescribeDBInstancesAsync(r, ct)),
        Rds.DescribeDBClustersRequest r => async ct => await FirstPageAsync(aws.Rds.DescribeDBClustersAsync(r, ct)),
        _ => throw new NotSupportedException($"no single-request probe for {first.Action} ({first.Request?.GetType().Name}); add one to {nameof(SingleRequests)}"),
    };

    // Taking the first item ends the listing after its first page; an empty listing is one page too.
    private static async Task FirstPageAsync<T>(IAsyncEnumerable<T> items)
    {
        await foreach (var _ in items) break;
    }
}
