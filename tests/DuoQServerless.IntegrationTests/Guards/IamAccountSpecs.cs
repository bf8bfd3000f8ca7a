using System.Text.Json.Nodes;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Guards;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;
using static DuoQServerless.IntegrationTests.Clients.IamGuardSetup;
using static DuoQServerless.IntegrationTests.Guards.IamRevertScenario;

namespace DuoQServerless.IntegrationTests.Guards;

/// <summary>The IAM guard's account against moto: each revert really undoes the change, and a
/// second revert of the same change (a late or repeated event) finds it already undone.</summary>
public sealed class IamAccountSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private const string Table = "duoq-audit";
    private TrustPolicyStore _trust = null!;
    private IamAccount _account = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AuditTable.EnsureExistsAsync(Aws.DynamoDb, Table);
        _trust = new TrustPolicyStore(Aws.DynamoDb, Table);
        _account = new IamAccount(Aws.Iam, _trust);
    }

    private Task<ActionResult> RevertAsync(RevertPlan plan) => _account.RevertAsync(plan, CancellationToken.None);

    private Task<IamRevertScenario> ScenarioAsync() => IamRevertScenario.CreateAsync(Aws.Iam, _trust);

    public static TheoryData<PrincipalKind> Kinds() => new(Enum.GetValues<PrincipalKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AdministratorAccess_is_really_detached_from_the_principal_and_its_other_policies_stay(PrincipalKind kind)
    {
        await ScenarioAsync();
        var name = NameOf(kind);
        await AttachReadOnlyAsync(kind, name);

        var first = await RevertAsync(new DetachPolicy(kind, name, AdministratorAccess));
        var again = await RevertAsync(new DetachPolicy(kind, name, AdministratorAccess));

        Assert.Equal([ReadOnlyAccess], await AttachedAsync(kind, name));
        Assert.Equal($"detached {AdministratorAccess} from {kind.ToString().ToLowerInvariant()} {name}", Assert.IsType<ActionResult.Done>(first).Detail);
        Assert.Contains("no longer attached", Assert.IsType<ActionResult.AlreadyDone>(again).Detail);
    }

    [Fact]
    public async Task Detaching_from_a_role_deleted_since_the_event_is_already_done()
    {
        var result = await RevertAsync(new DetachPolicy(PrincipalKind.Role, "deleted-since", AdministratorAccess));

        Assert.Equal("role deleted-since no longer exists", Assert.IsType<ActionResult.AlreadyDone>(result).Detail);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_inline_policy_is_really_deleted_and_the_principals_other_inline_policies_stay(PrincipalKind kind)
    {
        await ScenarioAsync();
        var name = NameOf(kind);
        await PutKeeperAsync(kind, name);

        var first = await RevertAsync(new DeleteInlinePolicy(kind, name, Inline));
        var again = await RevertAsync(new DeleteInlinePolicy(kind, name, Inline));

        Assert.Equal(["keep-reading"], await InlineNamesAsync(kind, name));
        Assert.IsType<ActionResult.Done>(first);
        Assert.Equal($"inline policy {Inline} of {kind.ToString().ToLowerInvariant()} {name} is already gone", Assert.IsType<ActionResult.AlreadyDone>(again).Detail);
    }

    [Fact]
    public async Task The_new_access_key_is_really_inactive_not_deleted_and_the_users_other_key_stays_active()
    {
        var scenario = await ScenarioAsync();
        var plan = new DeactivateAccessKey(User, scenario.NewAccessKeyId);

        var first = await RevertAsync(plan);
        var again = await RevertAsync(plan);

        var statuses = await Aws.Iam.AccessKeyStatusesAsync(User);
        Assert.Equal("Inactive", statuses[scenario.NewAccessKeyId]);
        Assert.Equal("Active", statuses[scenario.OtherAccessKeyId]);
        Assert.Contains("--status Active", Assert.IsType<ActionResult.Done>(first).Detail);
        Assert.Equal($"access key {scenario.NewAccessKeyId} of user {User} is already inactive", Assert.IsType<ActionResult.AlreadyDone>(again).Detail);
    }

    [Fact]
    public async Task A_key_deleted_since_the_event_is_already_done()
    {
        await ScenarioAsync();

        var result = await RevertAsync(new DeactivateAccessKey(User, "AKIA3XFRBF53NEWKEY01"));

        Assert.Equal($"access key AKIA3XFRBF53NEWKEY01 of user {User} no longer exists", Assert.IsType<ActionResult.AlreadyDone>(result).Detail);
    }

    [Fact]
    public async Task The_console_password_is_really_gone_and_the_user_stays()
    {
        var scenario = await ScenarioAsync();

        var first = await RevertAsync(new DeleteLoginProfile(User));
        var again = await RevertAsync(new DeleteLoginProfile(User));

        Assert.False(await Aws.Iam.HasLoginProfileAsync(User));
        Assert.Equal(2, (await Aws.Iam.AccessKeyStatusesAsync(User)).Count);
        Assert.IsType<ActionResult.Done>(first);
        Assert.Equal($"user {User} has no console password", Assert.IsType<ActionResult.AlreadyDone>(again).Detail);
    }

    [Fact]
    public async Task The_protected_roles_trust_policy_is_restored_from_the_last_known_good_one()
    {
        await ScenarioAsync();

        var first = await RevertAsync(new RestoreTrustPolicy(QRole));
        var again = await RevertAsync(new RestoreTrustPolicy(QRole));

        var trust = (await Aws.Iam.GetRoleAsync(new GetRoleRequest(QRole))).AssumeRolePolicyDocument;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(GoodTrustPolicy), JsonNode.Parse(trust!)), trust);
        Assert.Contains("recorded 2025-03-14 08:00:00Z", Assert.IsType<ActionResult.Done>(first).Detail);
        Assert.IsType<ActionResult.AlreadyDone>(again);
    }

    [Fact]
    public async Task Without_a_recorded_trust_policy_the_restore_fails_and_says_to_run_the_validator()
    {
        await Aws.Iam.CreateRoleAsync("QDeveloperAccess", AnyoneTrustPolicy);

        var result = await RevertAsync(new RestoreTrustPolicy("QDeveloperAccess"));

        Assert.Equal("no last known good trust policy recorded for QDeveloperAccess: run the validator once on a healthy setup",
            Assert.IsType<ActionResult.Failed>(result).Error);
        Assert.Equal(AnyoneTrustPolicy, (await Aws.Iam.GetRoleAsync(new GetRoleRequest("QDeveloperAccess"))).AssumeRolePolicyDocument);
    }

    [Fact]
    public async Task The_newest_version_older_than_the_unwanted_default_is_made_the_default_again()
    {
        var scenario = await ScenarioAsync();
        var plan = new RestoreDefaultPolicyVersion(scenario.ManagedPolicyArn, "v3");

        var first = await RevertAsync(plan);
        var again = await RevertAsync(plan);

        Assert.Equal("v2", await Aws.Iam.DefaultVersionOfAsync(scenario.ManagedPolicyArn));
        Assert.Equal($"made v2 the default version of {scenario.ManagedPolicyArn} again instead of v3", Assert.IsType<ActionResult.Done>(first).Detail);
        Assert.Equal($"the default version of {scenario.ManagedPolicyArn} is v2, not v3", Assert.IsType<ActionResult.AlreadyDone>(again).Detail);
    }

    [Fact]
    public async Task A_first_version_made_default_has_nothing_older_to_restore_and_the_revert_says_so()
    {
        var arn = await Aws.Iam.CreatePolicyAsync("only-one", StarStar);

        var result = await RevertAsync(new RestoreDefaultPolicyVersion(arn, "v1"));

        Assert.Equal($"{arn} has no version older than v1 to make the default: choose one by hand", Assert.IsType<ActionResult.Failed>(result).Error);
        Assert.Equal("v1", await Aws.Iam.DefaultVersionOfAsync(arn));
    }

    [Fact]
    public async Task The_maximum_session_duration_is_restored_to_43200_and_the_description_kept()
    {
        await ScenarioAsync();

        var first = await RevertAsync(new RestoreMaxSessionDuration(QRole, 43200));
        var again = await RevertAsync(new RestoreMaxSessionDuration(QRole, 43200));

        Assert.Equal((43200, QDescription), await Aws.Iam.SessionOfAsync(QRole));
        Assert.Equal($"set the maximum session duration of role {QRole} back to 43200 s (was 3600 s)", Assert.IsType<ActionResult.Done>(first).Detail);
        Assert.Equal($"the maximum session duration of role {QRole} is already 43200 s", Assert.IsType<ActionResult.AlreadyDone>(again).Detail);
    }

    [Fact]
    public async Task A_policy_detached_from_the_protected_role_is_attached_again()
    {
        var scenario = await ScenarioAsync();

        var first = await RevertAsync(new ReattachPolicy(PrincipalKind.Role, QRole, scenario.QPolicyArn));
        var again = await RevertAsync(new ReattachPolicy(PrincipalKind.Role, QRole, scenario.QPolicyArn));

        Assert.Equal([scenario.QPolicyArn], await Aws.Iam.AttachedRolePolicyArnsAsync(QRole));
        Assert.IsType<ActionResult.Done>(first);
        Assert.IsType<ActionResult.AlreadyDone>(again);
    }

    [Fact]
    public async Task An_error_from_IAM_is_a_failed_result_with_its_code_not_an_exception()
    {
        await Aws.Iam.CreateRoleAsync(QRole);

        var missingPolicy = await RevertAsync(new ReattachPolicy(PrincipalKind.Role, QRole, $"arn:aws:iam::{TestCredentials.AccountId}:policy/never-created"));
        var missingRole = await RevertAsync(new RestoreMaxSessionDuration("never-created", 43200));

        Assert.StartsWith("NoSuchEntity: ", Assert.IsType<ActionResult.Failed>(missingPolicy).Error);
        Assert.StartsWith("NoSuchEntity: ", Assert.IsType<ActionResult.Failed>(missingRole).Error);
    }

    [Fact]
    public async Task Nothing_to_restore_changes_nothing_and_another_guards_plan_is_refused()
    {
        Assert.IsType<ActionResult.NotTaken>(await RevertAsync(new NothingToRestore("a deleted role cannot be brought back")));
        Assert.Equal("stop-instances is not an IAM revert: the IAM guard does not carry it out",
            Assert.IsType<ActionResult.Failed>(await RevertAsync(new StopInstances(["i-0abc"]))).Error);
        Assert.DoesNotContain(Calls.Actions, action => action.StartsWith("iam:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tags_are_read_from_roles_and_users_and_a_group_or_a_deleted_role_has_none()
    {
        await ScenarioAsync();
        await Aws.Iam.TagRoleForSetUpAsync(Role, "duoq:exempt", "true");
        await Aws.Iam.TagUserForSetUpAsync(User, "team", "build");

        var role = await _account.TagsOfAsync(AffectedResource.Of("AWS::IAM::Role", Role), CancellationToken.None);
        var user = await _account.TagsOfAsync(AffectedResource.Of("AWS::IAM::User", User), CancellationToken.None);
        var group = await _account.TagsOfAsync(AffectedResource.Of("AWS::IAM::Group", Group), CancellationToken.None);
        var gone = await _account.TagsOfAsync(AffectedResource.Of("AWS::IAM::Role", "deleted-since"), CancellationToken.None);

        Assert.Equal(new Dictionary<string, string> { ["duoq:exempt"] = "true" }, role);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "build" }, user);
        Assert.Empty(group);
        Assert.Empty(gone);
    }

    [Fact]
    public async Task The_document_of_a_customer_managed_policy_is_its_default_version_and_an_unreadable_one_is_left_out()
    {
        var scenario = await ScenarioAsync();
        var missing = $"arn:aws:iam::{TestCredentials.AccountId}:policy/never-created";

        var facts = await _account.LookUpAsync(
            [new FactRequest.ManagedPolicyDocument(scenario.ManagedPolicyArn), new FactRequest.ManagedPolicyDocument(missing)], CancellationToken.None);

        Assert.Equal(StarStar, facts.DocumentOf(scenario.ManagedPolicyArn));
        Assert.Null(facts.DocumentOf(missing));
    }

    [Fact]
    public async Task Approved_roles_and_users_are_tagged_and_groups_cannot_be()
    {
        await ScenarioAsync();

        var role = await _account.MarkApprovedAsync(AffectedResource.Of("AWS::IAM::Role", Role), "appr-7", CancellationToken.None);
        var user = await _account.MarkApprovedAsync(AffectedResource.Of("AWS::IAM::User", User), "appr-8", CancellationToken.None);
        var group = await _account.MarkApprovedAsync(AffectedResource.Of("AWS::IAM::Group", Group), "appr-9", CancellationToken.None);

        Assert.Equal($"tagged role {Role} duoq:approved=appr-7", Assert.IsType<ActionResult.Done>(role).Detail);
        Assert.IsType<ActionResult.Done>(user);
        Assert.IsType<ActionResult.NotTaken>(group);
        Assert.Contains(new IamTag("duoq:approved", "appr-7"), await Aws.Iam.ListRoleTagsAsync(new ListRoleTagsRequest(Role)).ToListAsync());
        Assert.Contains(new IamTag("duoq:approved", "appr-8"), await Aws.Iam.ListUserTagsAsync(new ListUserTagsRequest(User)).ToListAsync());
    }

    [Fact]
    public async Task The_iam_actions_called_are_exactly_the_ones_the_iam_detector_declares()
    {
        var scenario = await ScenarioAsync();
        Calls.Clear();

        var results = new List<ActionResult>();
        foreach (var plan in scenario.Plans) results.Add(await RevertAsync(plan));
        await _account.TagsOfAsync(AffectedResource.Of("AWS::IAM::Role", Role), CancellationToken.None);
        await _account.TagsOfAsync(AffectedResource.Of("AWS::IAM::User", User), CancellationToken.None);
        await _account.LookUpAsync([new FactRequest.ManagedPolicyDocument(scenario.ManagedPolicyArn)], CancellationToken.None);
        results.Add(await _account.MarkApprovedAsync(AffectedResource.Of("AWS::IAM::Role", Role), "appr-1", CancellationToken.None));
        results.Add(await _account.MarkApprovedAsync(AffectedResource.Of("AWS::IAM::User", User), "appr-2", CancellationToken.None));

        Assert.All(results, result => Assert.IsType<ActionResult.Done>(result));
        Assert.Equal(DeclaredIamActions, Calls.Actions.Where(a => a.StartsWith("iam:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    private static string NameOf(PrincipalKind kind) => kind switch
    {
        PrincipalKind.Role => Role,
        PrincipalKind.User => User,
        PrincipalKind.Group => Group,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private Task AttachReadOnlyAsync(PrincipalKind kind, string name) => kind switch
    {
        PrincipalKind.Role => Aws.Iam.AttachRolePolicyForSetUpAsync(name, ReadOnlyAccess),
        PrincipalKind.User => Aws.Iam.AttachUserPolicyAsync(name, ReadOnlyAccess),
        _ => Aws.Iam.AttachGroupPolicyAsync(name, ReadOnlyAccess),
    };

    private async Task<IReadOnlyList<string>> AttachedAsync(PrincipalKind kind, string name) => kind switch
    {
        PrincipalKind.Role => await Aws.Iam.AttachedRolePolicyArnsAsync(name),
        PrincipalKind.User => await Aws.Iam.AttachedUserPolicyArnsAsync(name),
        _ => await Aws.Iam.AttachedGroupPolicyArnsAsync(name),
    };

    private Task PutKeeperAsync(PrincipalKind kind, string name)
    {
        var document = IamSetup.AllowPolicy("s3:GetObject");
        return kind switch
        {
            PrincipalKind.Role => Aws.Iam.PutRolePolicyForSetUpAsync(name, "keep-reading", document),
            PrincipalKind.User => Aws.Iam.PutUserPolicyAsync(name, "keep-reading", document),
            _ => Aws.Iam.PutGroupPolicyAsync(name, "keep-reading", document),
        };
    }

    private async Task<IReadOnlyList<string>> InlineNamesAsync(PrincipalKind kind, string name) => kind switch
    {
        PrincipalKind.Role => await Aws.Iam.RolePolicyNamesAsync(name),
        PrincipalKind.User => await Aws.Iam.UserPolicyNamesAsync(name),
        _ => await Aws.Iam.GroupPolicyNamesAsync(name),
    };
}
