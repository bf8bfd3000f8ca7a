using Amazon;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Rds;
using DuoQServerless.Aws.Reporting;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Reporting;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Reporting;

/// <summary>RDS instances and clusters that one call could delete, per region, with the exempt and approved ones apart.</summary>
public sealed class DatabaseScannerSpecs(MotoFixture moto) : MotoTest(moto)
{
    private RegionalClients _clients = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _clients = new RegionalClients(new AwsSettings
        {
            Region = RegionEndpoint.GetBySystemName(TestCredentials.Region),
            EndpointOverride = Endpoint,
            Credentials = TestCredentials.Default,
            EnvironmentVariables = MotoClients.EmptyEnvironment,
            Retry = MotoClients.NoSleeping,
        });
    }

    public override Task DisposeAsync()
    {
        _clients.Dispose();
        return base.DisposeAsync();
    }

    [Fact]
    public async Task Instances_and_clusters_without_deletion_protection_are_listed_and_protected_ones_are_not()
    {
        var rds = _clients.Rds("us-east-1");
        await rds.CreateInstanceAsync("orders-db");
        await rds.CreateInstanceAsync("billing-db", deletionProtection: true);
        await rds.CreateClusterAsync("analytics", deletionProtection: false);
        await rds.CreateClusterAsync("ledger", deletionProtection: true);
        // A member's protection is its cluster's: it is not listed on its own.
        await rds.CreateInstanceAsync("ledger-1", clusterIdentifier: "ledger");

        var found = await new DatabaseScanner(_clients.Rds).ScanAsync("us-east-1", CancellationToken.None);

        Assert.Equal(
            [("analytics", DbKind.Cluster, "aurora-postgresql"), ("orders-db", DbKind.Instance, "postgres")],
            found.Exposed.UnprotectedDatabases.Select(d => (d.Identifier, d.Kind, d.Engine)).Order());
        Assert.All(found.Exposed.UnprotectedDatabases, d => Assert.Equal("us-east-1", d.Region));
        Assert.Empty(found.Accepted);
    }

    [Fact]
    public async Task Each_region_lists_only_its_own_databases()
    {
        await _clients.Rds("us-east-1").CreateInstanceAsync("east-db");
        await _clients.Rds("eu-west-1").CreateInstanceAsync("west-db");

        var found = await AccountScan.RunAsync([new DatabaseScanner(_clients.Rds)], ["us-east-1", "eu-west-1"]);

        Assert.Equal([("eu-west-1", "west-db"), ("us-east-1", "east-db")], found.Exposed.UnprotectedDatabases.Select(d => (d.Region, d.Identifier)).Order());
    }

    [Fact]
    public async Task A_database_tagged_exempt_or_approved_is_listed_apart_with_its_tag()
    {
        var rds = _clients.Rds("us-east-1");
        var scratch = await rds.CreateInstanceAsync("scratch-db");
        await rds.AddTagsToResourceAsync(new AddTagsToResourceRequest(scratch, [new RdsTag("duoq:exempt", "true")]));
        var migration = await rds.CreateInstanceAsync("migration-db");
        await rds.AddTagsToResourceAsync(new AddTagsToResourceRequest(migration, [new RdsTag("duoq:approved", "apr-41"), new RdsTag("duoq:approved-by", "alice@example.com")]));
        var wrongValue = await rds.CreateInstanceAsync("tagged-false-db");
        await rds.AddTagsToResourceAsync(new AddTagsToResourceRequest(wrongValue, [new RdsTag("duoq:exempt", "false")]));

        var found = await new DatabaseScanner(_clients.Rds).ScanAsync("us-east-1", CancellationToken.None);

        Assert.Equal("tagged-false-db", Assert.Single(found.Exposed.UnprotectedDatabases).Identifier);
        Assert.Equal(
            [("migration-db", AcceptanceKind.Approved, "apr-41", "alice@example.com"), ("scratch-db", AcceptanceKind.Exempt, "true", null)],
            found.Accepted.Select(a => (a.ResourceId, a.Acceptance, a.TagValue, a.ApprovedBy)).Order());
        Assert.All(found.Accepted, a => Assert.Equal((ExposureKind.UnprotectedDatabase, "DB instance without deletion protection"), (a.Kind, a.Exposure)));
    }

    [Fact]
    public async Task An_RDS_error_is_a_gap_in_the_report_naming_the_action_and_its_code()
    {
        await using var server = ScriptedAwsServer.Start(ScriptedAwsServer.QueryError(System.Net.HttpStatusCode.Forbidden, "AccessDenied"));
        using var denied = new AwsClientFactory(new AwsSettings
        {
            Region = RegionEndpoint.USEast1, EndpointOverride = server.Endpoint, Credentials = TestCredentials.Default,
            EnvironmentVariables = MotoClients.EmptyEnvironment, Retry = MotoClients.NoSleeping,
        });

        var found = await AccountScan.RunAsync([new DatabaseScanner(_ => denied.Rds)], ["us-east-1"]);

        var gap = Assert.Single(found.Gaps);
        Assert.Equal(("databases", "us-east-1"), (gap.Scanner, gap.Region));
        Assert.StartsWith("rds:DescribeDBInstances failed with AccessDenied", gap.Reason);
    }
}
