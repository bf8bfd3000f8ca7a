using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Clients;

public sealed class IamPolicySpecs(MotoFixture moto) : ClientSpec(moto)
{
    // Indentation, a line break, '+', '%', '&', '=', non-ASCII and a tag value with spaces.
    private const string UnusualPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Sid": "ReadTeamBuckets",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": "arn:aws:s3:::équipe-data+raw/*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "Sécurité & Ops = 100% 東京"}}
          }]
        }
        """;

    private static readonly string ReadOnlyPolicy = IamSetup.AllowPolicy("ec2:Describe*");

    [Fact]
    public async Task PutRolePolicy_stores_a_document_that_GetRolePolicy_returns_unchanged()
    {
        await Aws.Iam.CreateRoleAsync("guarded");

        await Aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest("guarded", "team-data", UnusualPolicy));

        var policy = await Aws.Iam.GetRolePolicyAsync(new GetRolePolicyRequest("guarded", "team-data"));
        Assert.Equal(new RoleInlinePolicy("guarded", "team-data", UnusualPolicy), policy);
    }

    [Fact]
    public async Task ListRolePolicies_names_every_inline_policy_of_the_role()
    {
        await Aws.Iam.CreateRoleAsync("guarded");
        await Aws.Iam.CreateRoleAsync("bystander");
        await Aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest("guarded", "first", ReadOnlyPolicy));
        await Aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest("guarded", "second+more", ReadOnlyPolicy));
        await Aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest("bystander", "not-this-one", ReadOnlyPolicy));

        var names = await Aws.Iam.ListRolePoliciesAsync(new ListRolePoliciesRequest("guarded")).ToListAsync();

        Assert.Equal(["first", "second+more"], names.Order());
    }

    [Fact]
    public async Task DeleteRolePolicy_removes_that_inline_policy_only()
    {
        await Aws.Iam.CreateRoleAsync("guarded");
        await Aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest("guarded", "keep", ReadOnlyPolicy));
        await Aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest("guarded", "escalation", IamSetup.AllowPolicy("*")));

        await Aws.Iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest("guarded", "escalation"));

        Assert.Equal(["keep"], await Aws.Iam.ListRolePoliciesAsync(new ListRolePoliciesRequest("guarded")).ToListAsync());
        var error = await Assert.ThrowsAsync<AwsApiException>(() => Aws.Iam.GetRolePolicyAsync(new GetRolePolicyRequest("guarded", "escalation")));
        Assert.Equal(AwsErrorCodes.NoSuchEntity, error.ErrorCode);
    }

    [Fact]
    public async Task DeleteUserPolicy_removes_an_inline_policy_from_a_user()
    {
        await Aws.Iam.CreateUserAsync("agent");
        await Aws.Iam.PutUserPolicyAsync("agent", "keep", ReadOnlyPolicy);
        await Aws.Iam.PutUserPolicyAsync("agent", "admin-grab", IamSetup.AllowPolicy("*"));

        await Aws.Iam.DeleteUserPolicyAsync(new DeleteUserPolicyRequest("agent", "admin-grab"));

        Assert.Equal(["keep"], await Aws.Iam.UserPolicyNamesAsync("agent"));
    }

    [Fact]
    public async Task AttachRolePolicy_attaches_a_managed_policy_that_ListAttachedRolePolicies_pages_through()
    {
        await Aws.Iam.CreateRoleAsync("guarded");
        var arns = new List<string>();
        foreach (var name in new[] { "p-one", "p-two", "p-three" })
        {
            var arn = await Aws.Iam.CreatePolicyAsync(name, ReadOnlyPolicy);
            arns.Add(arn);
            await Aws.Iam.AttachRolePolicyAsync(new AttachRolePolicyRequest("guarded", arn));
        }
        Calls.Clear();

        var attached = await Aws.Iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest("guarded") { PageSize = 2 }).ToListAsync();

        Assert.Equal(arns.Order(), attached.Select(p => p.PolicyArn).Order());
        Assert.Equal(["p-one", "p-three", "p-two"], attached.Select(p => p.PolicyName).Order());
        Assert.Equal(2, Calls.Calls.Count(c => c.Action == "iam:ListAttachedRolePolicies"));
    }

    [Fact]
    public async Task DetachRolePolicy_leaves_the_other_attachments()
    {
        await Aws.Iam.CreateRoleAsync("guarded");
        var admin = "arn:aws:iam::aws:policy/AdministratorAccess";
        var readOnly = await Aws.Iam.CreatePolicyAsync("read-only", ReadOnlyPolicy);
        await Aws.Iam.AttachRolePolicyAsync(new AttachRolePolicyRequest("guarded", admin));
        await Aws.Iam.AttachRolePolicyAsync(new AttachRolePolicyRequest("guarded", readOnly));

        await Aws.Iam.DetachRolePolicyAsync(new DetachRolePolicyRequest("guarded", admin));

        var attached = await Aws.Iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest("guarded")).ToListAsync();
        Assert.Equal([new AttachedPolicy("read-only", readOnly)], attached);
    }

    [Fact]
    public async Task DetachUserPolicy_removes_the_managed_policy_from_the_user()
    {
        await Aws.Iam.CreateUserAsync("agent");
        var admin = "arn:aws:iam::aws:policy/AdministratorAccess";
        await Aws.Iam.Query.InvokeAsync("AttachUserPolicy", new QueryParameters().Add("UserName", "agent").Add("PolicyArn", admin));

        await Aws.Iam.DetachUserPolicyAsync(new DetachUserPolicyRequest("agent", admin));

        Assert.Empty(await Aws.Iam.AttachedUserPolicyArnsAsync("agent"));
    }

    [Fact]
    public async Task DetachGroupPolicy_removes_the_managed_policy_from_the_group()
    {
        await Aws.Iam.CreateGroupAsync("agents");
        var admin = "arn:aws:iam::aws:policy/AdministratorAccess";
        var readOnly = await Aws.Iam.CreatePolicyAsync("read-only", ReadOnlyPolicy);
        foreach (var arn in new[] { admin, readOnly })
            await Aws.Iam.Query.InvokeAsync("AttachGroupPolicy", new QueryParameters().Add("GroupName", "agents").Add("PolicyArn", arn));

        await Aws.Iam.DetachGroupPolicyAsync(new DetachGroupPolicyRequest("agents", admin));

        Assert.Equal([readOnly], await Aws.Iam.AttachedGroupPolicyArnsAsync("agents"));
    }

    [Fact]
    public async Task GetPolicy_returns_the_default_version_and_how_often_the_policy_is_attached()
    {
        var arn = await Aws.Iam.CreatePolicyAsync("team-data", UnusualPolicy);
        await Aws.Iam.CreateRoleAsync("guarded");
        await Aws.Iam.AttachRolePolicyAsync(new AttachRolePolicyRequest("guarded", arn));

        var policy = await Aws.Iam.GetPolicyAsync(new GetPolicyRequest(arn));

        Assert.Equal("team-data", policy.PolicyName);
        Assert.Equal(arn, policy.Arn);
        Assert.Equal("v1", policy.DefaultVersionId);
        Assert.Equal(1, policy.AttachmentCount);
        Assert.True(policy.IsAttachable);
    }

    [Fact]
    public async Task GetPolicyVersion_returns_the_document_exactly_as_written()
    {
        var arn = await Aws.Iam.CreatePolicyAsync("team-data", UnusualPolicy);

        var version = await Aws.Iam.GetPolicyVersionAsync(new GetPolicyVersionRequest(arn, "v1"));

        Assert.Equal("v1", version.VersionId);
        Assert.True(version.IsDefaultVersion);
        Assert.Equal(UnusualPolicy, version.Document);
    }

    [Fact]
    public async Task GetPolicyVersion_reads_an_AWS_managed_policy()
    {
        var arn = "arn:aws:iam::aws:policy/AdministratorAccess";
        var policy = await Aws.Iam.GetPolicyAsync(new GetPolicyRequest(arn));

        var version = await Aws.Iam.GetPolicyVersionAsync(new GetPolicyVersionRequest(arn, policy.DefaultVersionId));

        using var document = System.Text.Json.JsonDocument.Parse(version.Document);
        var statement = document.RootElement.GetProperty("Statement")[0];
        Assert.Equal("*", statement.GetProperty("Action").GetString());
        Assert.Equal("*", statement.GetProperty("Resource").GetString());
    }

    [Fact]
    public async Task A_policy_that_does_not_exist_is_NoSuchEntity()
    {
        var error = await Assert.ThrowsAsync<AwsApiException>(() =>
            Aws.Iam.GetPolicyAsync(new GetPolicyRequest($"arn:aws:iam::{TestCredentials.AccountId}:policy/never-created")));

        Assert.Equal(AwsErrorCodes.NoSuchEntity, error.ErrorCode);
    }
}
