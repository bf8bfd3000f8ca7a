using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.IntegrationTests.Harness;
using static DuoQServerless.IntegrationTests.Clients.IamGuardSetup;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>The IAM operations the IAM guard's reverts, exemptions and approvals call, against moto.</summary>
public sealed class IamGuardOperationSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private const string StarStar = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    // What encodings get wrong: spaces, '+', '%', '&', '=', non-ASCII letters.
    private const string UnusualDocument = """{"Version":"2012-10-17","Statement":[{"Sid":"Équipe100pct","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports+ops/東京 100%&a=b/*"}]}""";

    [Fact]
    public async Task ListAttachedUserPolicies_and_ListAttachedGroupPolicies_list_what_each_holds()
    {
        await Aws.Iam.CreateUserAsync("build-bot");
        await Aws.Iam.CreateGroupAsync("deployers");
        await Aws.Iam.AttachUserPolicyAsync("build-bot", AdministratorAccess);
        await Aws.Iam.AttachGroupPolicyAsync("deployers", ReadOnlyAccess);

        var user = await Aws.Iam.ListAttachedUserPoliciesAsync(new ListAttachedUserPoliciesRequest("build-bot")).ToListAsync();
        var group = await Aws.Iam.ListAttachedGroupPoliciesAsync(new ListAttachedGroupPoliciesRequest("deployers")).ToListAsync();

        Assert.Equal([new AttachedPolicy("AdministratorAccess", AdministratorAccess)], user);
        Assert.Equal([new AttachedPolicy("ReadOnlyAccess", ReadOnlyAccess)], group);
    }

    [Fact]
    public async Task ListAttachedUserPolicies_of_a_user_that_does_not_exist_is_NoSuchEntity()
    {
        var error = await Assert.ThrowsAsync<AwsApiException>(() => Aws.Iam.ListAttachedUserPoliciesAsync(new ListAttachedUserPoliciesRequest("nobody")).ToListAsync().AsTask());

        Assert.Equal((AwsErrorCodes.NoSuchEntity, "iam:ListAttachedUserPolicies"), (error.ErrorCode, error.Action));
    }

    [Fact]
    public async Task GetUserPolicy_and_GetGroupPolicy_return_the_inline_document_exactly()
    {
        await Aws.Iam.CreateUserAsync("build-bot");
        await Aws.Iam.CreateGroupAsync("deployers");
        await Aws.Iam.PutUserPolicyAsync("build-bot", "everything", StarStar);
        await Aws.Iam.PutGroupPolicyAsync("deployers", "reports", UnusualDocument);

        var user = await Aws.Iam.GetUserPolicyAsync(new GetUserPolicyRequest("build-bot", "everything"));
        var group = await Aws.Iam.GetGroupPolicyAsync(new GetGroupPolicyRequest("deployers", "reports"));

        Assert.Equal(new InlinePolicy("build-bot", "everything", StarStar), user);
        Assert.Equal(new InlinePolicy("deployers", "reports", UnusualDocument), group);
    }

    [Fact]
    public async Task DeleteGroupPolicy_removes_only_that_inline_policy()
    {
        await Aws.Iam.CreateGroupAsync("deployers");
        await Aws.Iam.PutGroupPolicyAsync("deployers", "everything", StarStar);
        await Aws.Iam.PutGroupPolicyAsync("deployers", "reports", UnusualDocument);

        await Aws.Iam.DeleteGroupPolicyAsync(new DeleteGroupPolicyRequest("deployers", "everything"));

        Assert.Equal(["reports"], await Aws.Iam.GroupPolicyNamesAsync("deployers"));
        var error = await Assert.ThrowsAsync<AwsApiException>(() => Aws.Iam.GetGroupPolicyAsync(new GetGroupPolicyRequest("deployers", "everything")));
        Assert.Equal(AwsErrorCodes.NoSuchEntity, error.ErrorCode);
    }

    [Fact]
    public async Task GetLoginProfile_shows_a_console_password_and_DeleteLoginProfile_removes_it()
    {
        await Aws.Iam.CreateUserAsync("build-bot");
        await Aws.Iam.CreateLoginProfileAsync("build-bot");

        var profile = await Aws.Iam.GetLoginProfileAsync(new GetLoginProfileRequest("build-bot"));
        await Aws.Iam.DeleteLoginProfileAsync(new DeleteLoginProfileRequest("build-bot"));

        Assert.Equal("build-bot", profile.UserName);
        Assert.NotNull(profile.CreateDate);
        var error = await Assert.ThrowsAsync<AwsApiException>(() => Aws.Iam.GetLoginProfileAsync(new GetLoginProfileRequest("build-bot")));
        Assert.Equal((AwsErrorCodes.NoSuchEntity, "iam:GetLoginProfile"), (error.ErrorCode, error.Action));
    }

    [Fact]
    public async Task ListPolicyVersions_lists_every_version_and_marks_the_default()
    {
        var arn = await Aws.Iam.CreatePolicyAsync("deploy-permissions", IamSetup.AllowPolicy("s3:GetObject"));
        await Aws.Iam.CreatePolicyVersionAsync(arn, IamSetup.AllowPolicy("s3:PutObject"), setAsDefault: false);
        await Aws.Iam.CreatePolicyVersionAsync(arn, StarStar, setAsDefault: true);

        var versions = await Aws.Iam.ListPolicyVersionsAsync(new ListPolicyVersionsRequest(arn)).ToListAsync();

        Assert.Equal([("v1", false, 1), ("v2", false, 2), ("v3", true, 3)],
            versions.Select(v => (v.VersionId, v.IsDefaultVersion, v.Number ?? 0)).OrderBy(v => v.VersionId));
    }

    [Fact]
    public async Task SetDefaultPolicyVersion_makes_an_older_version_the_default()
    {
        var arn = await Aws.Iam.CreatePolicyAsync("deploy-permissions", IamSetup.AllowPolicy("s3:GetObject"));
        await Aws.Iam.CreatePolicyVersionAsync(arn, StarStar, setAsDefault: true);

        await Aws.Iam.SetDefaultPolicyVersionAsync(new SetDefaultPolicyVersionRequest(arn, "v1"));

        Assert.Equal("v1", await Aws.Iam.DefaultVersionOfAsync(arn));
    }

    [Fact]
    public async Task UpdateRole_sets_the_maximum_session_duration_and_keeps_the_description_it_is_given()
    {
        await Aws.Iam.CreateRoleAsync("QDeveloperAccess", maxSessionDuration: 3600, description: "Amazon Q Developer + GitLab Duo");

        await Aws.Iam.UpdateRoleAsync(new UpdateRoleRequest("QDeveloperAccess", 43200, "Amazon Q Developer + GitLab Duo"));

        Assert.Equal((43200, "Amazon Q Developer + GitLab Duo"), await Aws.Iam.SessionOfAsync("QDeveloperAccess"));
    }

    [Fact]
    public async Task TagRole_adds_and_overwrites_tags_and_ListRoleTags_pages_through_them()
    {
        await Aws.Iam.CreateRoleAsync("ci-deployer");
        await Aws.Iam.TagRoleForSetUpAsync("ci-deployer", "team", "platform");
        await Aws.Iam.TagRoleForSetUpAsync("ci-deployer", "duoq:approved", "old");

        await Aws.Iam.TagRoleAsync(new TagRoleRequest("ci-deployer",
            [new("duoq:approved", "appr-1"), new("owner", "Zoë + ops"), new("cost center", "100%"), new("empty", "")]));
        var tags = await Aws.Iam.ListRoleTagsAsync(new ListRoleTagsRequest("ci-deployer") { PageSize = 2 }).ToListAsync();

        Assert.Equal(
            [new("cost center", "100%"), new("duoq:approved", "appr-1"), new("empty", ""), new("owner", "Zoë + ops"), new IamTag("team", "platform")],
            tags.OrderBy(t => t.Key, StringComparer.Ordinal));
        Assert.True(Calls.Calls.Count(c => c.Action == "iam:ListRoleTags") >= 3);
    }

    [Fact]
    public async Task TagUser_adds_tags_that_ListUserTags_returns()
    {
        await Aws.Iam.CreateUserAsync("build-bot");
        await Aws.Iam.TagUserForSetUpAsync("build-bot", "duoq:exempt", "true");

        await Aws.Iam.TagUserAsync(new TagUserRequest("build-bot", [new("duoq:approved", "appr-2")]));
        var tags = await Aws.Iam.ListUserTagsAsync(new ListUserTagsRequest("build-bot")).ToListAsync();

        Assert.Equal([new("duoq:approved", "appr-2"), new IamTag("duoq:exempt", "true")], tags.OrderBy(t => t.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListRoleTags_of_a_role_that_does_not_exist_is_NoSuchEntity()
    {
        var error = await Assert.ThrowsAsync<AwsApiException>(() => Aws.Iam.ListRoleTagsAsync(new ListRoleTagsRequest("gone")).ToListAsync().AsTask());

        Assert.Equal((AwsErrorCodes.NoSuchEntity, "iam:ListRoleTags"), (error.ErrorCode, error.Action));
    }
}
