using Amazon.DynamoDBv2.Model;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Core.Validation;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Validation;

/// <summary>The validator's items in the audit table (moto DynamoDB): one conditional write decides which of two racing runs owns a change.</summary>
public sealed class ValidationStoreSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private const string Table = "duoq-audit";
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private ValidationStore Store => new(Aws.DynamoDb, Table);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AuditTable.EnsureExistsAsync(Aws.DynamoDb, Table);
    }

    private static ValidationReport Report(DateTimeOffset at) =>
        DuoQValidator.Validate(new DuoQSetupFacts { AccountId = TestCredentials.AccountId, Region = TestCredentials.Region }, at);

    [Fact]
    public async Task Of_two_runs_that_read_the_same_last_result_only_the_first_stores_its_own()
    {
        await Store.TryReplaceLastAsync(Report(Now), null, Now);
        var seenByBoth = await Store.GetLastAsync();

        var first = await Store.TryReplaceLastAsync(Report(Now.AddMinutes(1)), seenByBoth, Now.AddMinutes(1));
        var second = await Store.TryReplaceLastAsync(Report(Now.AddMinutes(2)), seenByBoth, Now.AddMinutes(2));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(Now.AddMinutes(1), (await Store.GetLastAsync())!.Report!.CheckedAt);
    }

    [Fact]
    public async Task A_first_result_cannot_be_stored_twice_by_racing_runs()
    {
        Assert.NotNull(await Store.TryReplaceLastAsync(Report(Now), null, Now));
        Assert.Null(await Store.TryReplaceLastAsync(Report(Now.AddMinutes(1)), null, Now.AddMinutes(1)));
    }

    [Fact]
    public async Task A_roll_back_puts_the_earlier_result_back_unless_a_newer_run_stored_one()
    {
        var earlier = await Store.TryReplaceLastAsync(Report(Now), null, Now);
        var ours = await Store.TryReplaceLastAsync(Report(Now.AddMinutes(1)), earlier, Now.AddMinutes(1));

        Assert.True(await Store.TryRollBackAsync(ours!, earlier, Now.AddMinutes(1)));
        Assert.Equal(Now, (await Store.GetLastAsync())!.Report!.CheckedAt);

        var current = await Store.GetLastAsync();
        var newer = await Store.TryReplaceLastAsync(Report(Now.AddMinutes(5)), current, Now.AddMinutes(5));
        Assert.False(await Store.TryRollBackAsync(current!, null, Now.AddMinutes(5)));
        Assert.Equal(newer!.Version, (await Store.GetLastAsync())!.Version);
    }

    [Fact]
    public async Task A_stored_result_this_version_cannot_read_counts_as_no_earlier_result()
    {
        await Aws.DynamoDb.PutItemAsync(new PutItemRequest
        {
            TableName = Table,
            Item = new()
            {
                ["id"] = new AttributeValue { S = ValidationStore.LastResultId },
                ["report"] = new AttributeValue { S = """{"schemaVersion":0,"checks":"gone"}""" },
                ["version"] = new AttributeValue { N = "7" },
            },
        });

        var last = await Store.GetLastAsync();

        Assert.Null(last!.Report);
        Assert.NotNull(await Store.TryReplaceLastAsync(Report(Now), last, Now));
    }
}
