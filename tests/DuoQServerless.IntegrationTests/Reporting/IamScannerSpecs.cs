using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Reporting;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Guards.Iam;
using DuoQServerless.Core.Reporting;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;
using static DuoQServerless.IntegrationTests.Clients.IamGuardSetup;

namespace DuoQServerless.IntegrationTests.Reporting;

/// <summary>Roles and users holding admin-like policies, and access keys past the policy's age, as the report lists them.</summary>
public sealed class IamScannerSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private const string S3ReadOnlyAccess = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
    private static readonly string Everything = IamSetup.AllowPolicy("*");
    private static readonly string IamEverything = IamSetup.AllowPolicy("iam:*");
    private static readonly string ReadBuckets = IamSetup.AllowPolicy("s3:GetObject", "s3:ListBucket");

    private IamClient Iam => Aws.Iam;

    private Task<ScanFindings> ScanPrincipalsAsync() =>
        new AdminPrincipalScanner(Iam, IamChangeSettings.Default).ScanAsync("us-east-1", CancellationToken.None);

    [Fact]
    public async Task Roles_and_users_holding_admin_like_policies_are_listed_with_how_they_hold_them()
    {
        var ops = await Iam.CreateRoleAsync("ops-admin");
        await Iam.AttachRolePolicyForSetUpAsync("ops-admin", AdministratorAccess);
        var agent = await Iam.CreateRoleAsync("agent");
        await Iam.PutRolePolicyForSetUpAsync("agent", "do-anything", Everything);
        var builder = await Iam.CreateUserAsync("builder");
        await Iam.AttachUserPolicyAsync("builder", await Iam.CreatePolicyAsync("iam-everything", IamEverything));
        var alice = await Iam.CreateUserAsync("alice");
        await Iam.CreateGroupAsync("admins");
        await Iam.AttachGroupPolicyAsync("admins", AdministratorAccess);
        await Iam.Query.InvokeAsync("AddUserToGroup", new QueryParameters().Add("GroupName", "admins").Add("UserName", "alice"));

        var found = await ScanPrincipalsAsync();

        Assert.Equal(
            [
                (agent, "agent", PrincipalKind.Role, "do-anything", "inline policy that allows * on *"),
                (alice, "alice", PrincipalKind.User, "AdministratorAccess", "through group admins: attached managed policy"),
                (builder, "builder", PrincipalKind.User, "iam-everything", "attached managed policy that allows iam:* on *"),
                (ops, "ops-admin", PrincipalKind.Role, "AdministratorAccess", "attached managed policy"),
            ],
            found.Exposed.AdminPrincipals.Select(p => (p.Arn, p.Name, p.Kind, p.Policy, p.How)).OrderBy(p => p.Name, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Narrow_policies_and_AWS_managed_ones_the_policy_does_not_name_are_not_listed()
    {
        await Iam.CreateRoleAsync("reader");
        await Iam.AttachRolePolicyForSetUpAsync("reader", S3ReadOnlyAccess);
        await Iam.AttachRolePolicyForSetUpAsync("reader", await Iam.CreatePolicyAsync("read-buckets", ReadBuckets));
        await Iam.PutRolePolicyForSetUpAsync("reader", "inline-read", ReadBuckets);
        await Iam.CreateUserAsync("intern");
        await Iam.PutUserPolicyAsync("intern", "read", ReadBuckets);
        // A group nobody is in grants nothing to anyone.
        await Iam.CreateGroupAsync("empty-admins");
        await Iam.AttachGroupPolicyAsync("empty-admins", AdministratorAccess);

        var found = await ScanPrincipalsAsync();

        Assert.Empty(found.Exposed.AdminPrincipals);
        Assert.Empty(found.Accepted);
    }

    [Fact]
    public async Task A_principal_tagged_exempt_or_approved_is_listed_apart()
    {
        var breakGlass = await Iam.CreateRoleAsync("break-glass");
        await Iam.AttachRolePolicyForSetUpAsync("break-glass", AdministratorAccess);
        await Iam.TagRoleForSetUpAsync("break-glass", "duoq:exempt", "true");
        var migrator = await Iam.CreateUserAsync("migrator");
        await Iam.PutUserPolicyAsync("migrator", "everything", Everything);
        await Iam.TagUserForSetUpAsync("migrator", "duoq:approved", "apr-9");

        var found = await ScanPrincipalsAsync();

        Assert.Empty(found.Exposed.AdminPrincipals);
        Assert.Equal(
            [(breakGlass, AcceptanceKind.Exempt, "holds AdministratorAccess (attached managed policy)"), (migrator, AcceptanceKind.Approved, "holds everything (inline policy that allows * on *)")],
            found.Accepted.Select(a => (a.ResourceId, a.Acceptance, a.Exposure)).OrderBy(a => a.ResourceId, StringComparer.Ordinal));
        Assert.All(found.Accepted, a => Assert.Equal((ExposureKind.AdminPrincipal, AccountScan.GlobalRegion), (a.Kind, a.Region)));
    }

    [Fact]
    public async Task An_access_key_older_than_the_policys_age_is_listed_and_a_younger_one_is_not()
    {
        await Iam.CreateUserAsync("ci-bot");
        var (key, _) = await Iam.CreateAccessKeyAsync("ci-bot");
        await Iam.CreateUserAsync("no-keys");
        // moto dates keys now; the scan's clock is moved instead.
        var created = DateTimeOffset.UtcNow;

        var at91Days = await new AccessKeyScanner(Iam, 90, created.AddDays(91)).ScanAsync("us-east-1", CancellationToken.None);
        var at89Days = await new AccessKeyScanner(Iam, 90, created.AddDays(89)).ScanAsync("us-east-1", CancellationToken.None);

        var old = Assert.Single(at91Days.Exposed.OldAccessKeys);
        Assert.Equal(("ci-bot", key, true), (old.UserName, old.AccessKeyId, old.Active));
        Assert.InRange(old.AgeDays, 90, 91);
        Assert.Empty(at89Days.Exposed.OldAccessKeys);
    }

    [Fact]
    public async Task Old_keys_of_a_user_tagged_exempt_are_listed_apart()
    {
        await Iam.CreateUserAsync("legacy-sync");
        var (key, _) = await Iam.CreateAccessKeyAsync("legacy-sync");
        await Iam.TagUserForSetUpAsync("legacy-sync", "duoq:exempt", "true");

        var found = await new AccessKeyScanner(Iam, 30, DateTimeOffset.UtcNow.AddDays(45)).ScanAsync("us-east-1", CancellationToken.None);

        Assert.Empty(found.Exposed.OldAccessKeys);
        var accepted = Assert.Single(found.Accepted);
        Assert.Equal((ExposureKind.OldAccessKey, key, "legacy-sync", AcceptanceKind.Exempt), (accepted.Kind, accepted.ResourceId, accepted.Name, accepted.Acceptance));
    }

    [Fact]
    public async Task An_IAM_error_is_a_gap_in_the_report_naming_the_action_and_its_code()
    {
        await using var server = ScriptedAwsServer.Start(
            ScriptedAwsServer.QueryError(System.Net.HttpStatusCode.Forbidden, "AccessDenied"),
            ScriptedAwsServer.QueryError(System.Net.HttpStatusCode.Forbidden, "AccessDenied"));
        using var denied = MotoClients.Factory(server.Endpoint);

        var found = await AccountScan.RunAsync(
            [new AdminPrincipalScanner(denied.Iam, IamChangeSettings.Default), new AccessKeyScanner(denied.Iam, 90, DateTimeOffset.UtcNow)],
            ["us-east-1"], new ScanOptions { MaxConcurrency = 1 });

        var reasons = found.Gaps.ToDictionary(g => g.Scanner, g => g.Reason);
        Assert.Equal(2, reasons.Count);
        Assert.StartsWith("iam:GetAccountAuthorizationDetails failed with AccessDenied", reasons["IAM principals"]);
        Assert.StartsWith("iam:ListUsers failed with AccessDenied", reasons["access keys"]);
        Assert.All(found.Gaps, g => Assert.Equal(AccountScan.GlobalRegion, g.Region));
    }
}
