using System.Text.Json.Nodes;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Guards;
using Xunit.Abstractions;
using static DuoQServerless.IntegrationTests.Clients.IamGuardSetup;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>
/// One of every IAM change the IAM guard reverts, each on fresh principals (admin policies on a
/// role, a user and a group; inline policies on each; a new key and password; a new default policy
/// version), and the three changes to the protected Amazon Q role it restores.
/// </summary>
public sealed class IamGuardWorld : GuardWorld
{
    private const string QRole = IamRevertScenario.QRole;
    private const string QPolicy = "DuoQDeveloperPermissions";
    private const string QPolicyArn = $"arn:aws:iam::{StackNames.Account}:policy/{QPolicy}";

    public override GuardCase Case { get; } = new(
        "iam-guard",
        ["iam-change"],
        [
            AdminOnRoleAsync, AdminOnUserAsync, AdminOnGroupAsync, CustomerAdminOnRoleAsync,
            InlineOnRoleAsync, InlineOnUserAsync, InlineOnGroupAsync,
            AccessKeyAsync, LoginProfileAsync, PolicyVersionAsync,
            QPolicyDetachedAsync, QSessionShortenedAsync, QTrustSwappedAsync,
        ],
        [AdminOnRoleAsync, AdminOnUserAsync]);

    /// <summary>The protected role as the validator found it healthy, with its policy.</summary>
    protected override async Task SeedAsync()
    {
        await Admin.Iam.CreateRoleAsync(QRole, maxSessionDuration: 43200, description: IamRevertScenario.QDescription);
        await Admin.Iam.CreatePolicyAsync(QPolicy, IamSetup.AllowPolicy("q:*", "codewhisperer:*"));
    }

    private static string Fresh(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    /// <summary>A sample turned into another principal kind's event (the samples attach to a role and put on a user).</summary>
    private static string As(string sample, string eventName, string nameKey, string name)
    {
        var root = JsonNode.Parse(GuardCase.Sample(sample))!;
        var detail = root["detail"]!;
        detail["eventName"] = eventName;
        var parameters = detail["requestParameters"]!.AsObject();
        foreach (var key in new[] { "roleName", "userName", "groupName" }) parameters.Remove(key);
        parameters[nameKey] = name;
        return root.ToJsonString();
    }

    private static async Task<string> AdminOnRoleAsync(AwsClientFactory admin)
    {
        var role = Fresh("ci-deployer");
        await admin.Iam.CreateRoleAsync(role);
        await admin.Iam.AttachRolePolicyForSetUpAsync(role, AdministratorAccess);
        return GuardCase.Sample("iam/risky-attach-role-policy-administrator-access.json", new Dictionary<string, string> { ["ci-deployer"] = role });
    }

    /// <summary>A customer managed policy is judged by its default version's document, which the guard reads.</summary>
    private static async Task<string> CustomerAdminOnRoleAsync(AwsClientFactory admin)
    {
        var role = Fresh("ci-deployer");
        await admin.Iam.CreateRoleAsync(role);
        var policy = await admin.Iam.CreatePolicyAsync(Fresh("all-access"), IamRevertScenario.StarStar);
        await admin.Iam.AttachRolePolicyForSetUpAsync(role, policy);
        return GuardCase.Sample("iam/risky-attach-role-policy-administrator-access.json", new Dictionary<string, string>
        {
            ["ci-deployer"] = role, ["arn:aws:iam::aws:policy/AdministratorAccess"] = policy,
        });
    }

    private static async Task<string> AdminOnUserAsync(AwsClientFactory admin)
    {
        var user = Fresh("build-bot");
        await admin.Iam.CreateUserAsync(user);
        await admin.Iam.AttachUserPolicyAsync(user, AdministratorAccess);
        return As("iam/risky-attach-role-policy-administrator-access.json", "AttachUserPolicy", "userName", user);
    }

    private static async Task<string> AdminOnGroupAsync(AwsClientFactory admin)
    {
        var group = Fresh("deployers");
        await admin.Iam.CreateGroupAsync(group);
        await admin.Iam.AttachGroupPolicyAsync(group, AdministratorAccess);
        return As("iam/risky-attach-role-policy-administrator-access.json", "AttachGroupPolicy", "groupName", group);
    }

    private static async Task<string> InlineOnRoleAsync(AwsClientFactory admin)
    {
        var role = Fresh("lambda-runner");
        await admin.Iam.CreateRoleAsync(role);
        var @event = GuardCase.Sample("iam/risky-put-role-policy-passrole-star.json", new Dictionary<string, string> { ["lambda-runner"] = role });
        await admin.Iam.PutRolePolicyForSetUpAsync(role, "deploy-functions", JsonNode.Parse(@event)!["detail"]!["requestParameters"]!["policyDocument"]!.GetValue<string>());
        return @event;
    }

    private static async Task<string> InlineOnUserAsync(AwsClientFactory admin)
    {
        var user = Fresh("build-bot");
        await admin.Iam.CreateUserAsync(user);
        await admin.Iam.PutUserPolicyAsync(user, "everything", IamRevertScenario.StarStar);
        return GuardCase.Sample("iam/risky-put-user-policy-star-star-urlencoded.json", new Dictionary<string, string> { ["build-bot"] = user });
    }

    private static async Task<string> InlineOnGroupAsync(AwsClientFactory admin)
    {
        var group = Fresh("deployers");
        await admin.Iam.CreateGroupAsync(group);
        await admin.Iam.PutGroupPolicyAsync(group, "everything", IamRevertScenario.StarStar);
        return As("iam/risky-put-user-policy-star-star-urlencoded.json", "PutGroupPolicy", "groupName", group);
    }

    private static async Task<string> AccessKeyAsync(AwsClientFactory admin)
    {
        var user = Fresh("build-bot");
        await admin.Iam.CreateUserAsync(user);
        var key = await admin.Iam.CreateAccessKeyAsync(user);
        return GuardCase.Sample("iam/risky-create-access-key.json", new Dictionary<string, string> { ["build-bot"] = user, ["AKIA3XFRBF53NEWKEY01"] = key.AccessKeyId });
    }

    private static async Task<string> LoginProfileAsync(AwsClientFactory admin)
    {
        var user = Fresh("build-bot");
        await admin.Iam.CreateUserAsync(user);
        await admin.Iam.CreateLoginProfileAsync(user);
        return GuardCase.Sample("iam/risky-create-login-profile.json", new Dictionary<string, string> { ["build-bot"] = user });
    }

    private static async Task<string> PolicyVersionAsync(AwsClientFactory admin)
    {
        var name = Fresh("deploy-permissions");
        var policy = await admin.Iam.CreatePolicyAsync(name, IamSetup.AllowPolicy("lambda:UpdateFunctionCode"));
        var unwanted = await admin.Iam.CreatePolicyVersionAsync(policy, IamRevertScenario.StarStar, setAsDefault: true);
        return GuardCase.Sample("iam/risky-create-policy-version-set-default.json", new Dictionary<string, string>
        {
            ["policy/deploy-permissions"] = $"policy/{name}", ["\"versionId\": \"v3\""] = $"\"versionId\": \"{unwanted}\"",
        });
    }

    private static async Task<string> QPolicyDetachedAsync(AwsClientFactory admin)
    {
        if ((await admin.Iam.AttachedRolePolicyArnsAsync(QRole)).Contains(QPolicyArn))
            await admin.Iam.DetachRolePolicyAsync(new DetachRolePolicyRequest(QRole, QPolicyArn));
        return GuardCase.Sample("iam/risky-q-role-detach-policy.json");
    }

    private static async Task<string> QSessionShortenedAsync(AwsClientFactory admin)
    {
        await admin.Iam.UpdateRoleAsync(new UpdateRoleRequest(QRole, 3600, IamRevertScenario.QDescription));
        return GuardCase.Sample("iam/risky-q-role-update-max-session-duration.json");
    }

    private static async Task<string> QTrustSwappedAsync(AwsClientFactory admin)
    {
        await new TrustPolicyStore(admin.DynamoDb, $"{DuoQServerless.Cli.Emulator.EmulatorStack.StackName}-audit").SaveGoodAsync(QRole, IamRevertScenario.GoodTrustPolicy, DateTimeOffset.UtcNow);
        await admin.Iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest(QRole, IamRevertScenario.AnyoneTrustPolicy));
        return GuardCase.Sample("iam/risky-update-assume-role-policy.json", new Dictionary<string, string> { ["ci-deployer"] = QRole });
    }
}

public sealed class IamGuardPrivilegeSpecs(IamGuardWorld world, ITestOutputHelper output) : GuardPrivilegeSpecs(world, output), IClassFixture<IamGuardWorld>
{
    public static IEnumerable<object[]> Actions => GuardWorld.RemovableActions("iam-guard");

    [Fact]
    public Task Every_iam_guard_call_is_allowed_by_its_role_in_template_yaml() => Every_call_is_allowed_by_the_role_in_template_yaml_resources_included();

    [Fact]
    public Task Every_action_of_the_iam_guard_role_is_used() => No_action_the_role_grants_goes_unused();

    [Theory]
    [MemberData(nameof(Actions))]
    public Task Without_one_action_the_iam_guard_is_refused_and_records_and_notifies(string action) => Without_one_action_the_guard_is_refused_records_and_notifies(action);
}
