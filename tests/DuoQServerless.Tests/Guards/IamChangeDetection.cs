using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Tests.Guards;

public class IamChangeDetection
{
    private static DetectionOutcome Detect(string eventName, string request, string? response = null, DetectionFacts? facts = null, GuardPolicy? policy = null) =>
        Detectors.IamChange.Detect(TestRecords.Iam(eventName, request, response), policy ?? GuardPolicy.Default, facts);

    private static Finding Found(DetectionOutcome outcome) => Assert.IsType<DetectionOutcome.Detected>(outcome).Finding;

    [Theory]
    [InlineData("AttachRolePolicy", "roleName", PrincipalKind.Role, "AdministratorAccess")]
    [InlineData("AttachUserPolicy", "userName", PrincipalKind.User, "IAMFullAccess")]
    [InlineData("AttachGroupPolicy", "groupName", PrincipalKind.Group, "PowerUserAccess")]
    public void Attaching_an_admin_like_managed_policy_is_detached_on_revert(string eventName, string key, PrincipalKind kind, string policyName)
    {
        var arn = $"arn:aws:iam::aws:policy/{policyName}";
        var finding = Found(Detect(eventName, $$"""{"{{key}}": "dev", "policyArn": "{{arn}}"}"""));
        Assert.Equal(new DetachPolicy(kind, "dev", arn), finding.Revert);
        Assert.Equal(Severity.High, finding.Severity);
    }

    [Fact]
    public void An_aws_managed_read_only_policy_is_benign() =>
        Assert.IsType<DetectionOutcome.Benign>(Detect("AttachRolePolicy", """{"roleName": "auditor", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}"""));

    [Fact]
    public void A_customer_managed_policy_is_judged_by_its_document_which_the_handler_looks_up()
    {
        const string arn = "arn:aws:iam::123456789012:policy/deploy";
        var record = TestRecords.Iam("AttachRolePolicy", $$"""{"roleName": "ci", "policyArn": "{{arn}}"}""");
        Assert.Equal([new FactRequest.ManagedPolicyDocument(arn)], Detectors.IamChange.FactsNeeded(record, GuardPolicy.Default));

        var unchecked_ = Found(Detectors.IamChange.Detect(record, GuardPolicy.Default));
        Assert.Equal(Severity.Medium, unchecked_.Severity);
        Assert.Contains("not checked", unchecked_.Summary);

        var admin = new DetectionFacts(new Dictionary<string, string> { [arn] = """{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}""" });
        Assert.Equal("policy deploy (allows * on *) attached to role ci", Found(Detectors.IamChange.Detect(record, GuardPolicy.Default, admin)).Summary);

        var narrow = new DetectionFacts(new Dictionary<string, string> { [arn] = """{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}""" });
        Assert.IsType<DetectionOutcome.Benign>(Detectors.IamChange.Detect(record, GuardPolicy.Default, narrow));
    }

    [Fact]
    public void No_lookup_is_asked_for_aws_managed_or_listed_policies() =>
        Assert.Empty(Detectors.IamChange.FactsNeeded(
            TestRecords.Iam("AttachRolePolicy", """{"roleName": "ci", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}"""), GuardPolicy.Default));

    [Fact]
    public void The_admin_policy_list_comes_from_the_policy_and_takes_arn_patterns()
    {
        var policy = Assert.IsType<PolicyLoad.Loaded>(GuardPolicy.Parse(
            """risks: { iam-change: { adminPolicies: ["arn:aws:iam::123456789012:policy/break-glass-*"] } }""")).Policy;
        Assert.IsType<DetectionOutcome.Detected>(Detect("AttachUserPolicy",
            """{"userName": "ops", "policyArn": "arn:aws:iam::123456789012:policy/break-glass-admin"}""", policy: policy));
        Assert.IsType<DetectionOutcome.Benign>(Detect("AttachUserPolicy",
            """{"userName": "ops", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess-Amplify"}""", policy: policy));
    }

    [Fact]
    public void An_inline_policy_allowing_everything_is_deleted_on_revert_whether_plain_or_url_encoded()
    {
        const string plain = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
        foreach (var document in new[] { plain, Uri.EscapeDataString(plain) })
        {
            var request = new System.Text.Json.Nodes.JsonObject
                { ["roleName"] = "app", ["policyName"] = "all", ["policyDocument"] = document }.ToJsonString();
            var finding = Found(Detect("PutRolePolicy", request));
            Assert.Equal(new DeleteInlinePolicy(PrincipalKind.Role, "app", "all"), finding.Revert);
        }
    }

    [Fact]
    public void Creating_a_default_policy_version_is_reverted_to_the_previous_default()
    {
        var finding = Found(Detect("CreatePolicyVersion",
            """{"policyArn": "arn:aws:iam::123456789012:policy/deploy", "setAsDefault": true, "policyDocument": "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"}""",
            """{"policyVersion": {"versionId": "v4", "isDefaultVersion": true}}"""));
        Assert.Equal(new RestoreDefaultPolicyVersion("arn:aws:iam::123456789012:policy/deploy", "v4"), finding.Revert);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.IsType<DetectionOutcome.Benign>(Detect("CreatePolicyVersion",
            """{"policyArn": "arn:aws:iam::123456789012:policy/deploy", "setAsDefault": false, "policyDocument": "{}"}"""));
    }

    [Fact]
    public void Setting_a_default_policy_version_is_a_finding() =>
        Assert.Equal(new RestoreDefaultPolicyVersion("arn:aws:iam::123456789012:policy/deploy", "v2"),
            Found(Detect("SetDefaultPolicyVersion", """{"policyArn": "arn:aws:iam::123456789012:policy/deploy", "versionId": "v2"}""")).Revert);

    [Fact]
    public void A_trust_policy_letting_anyone_assume_the_role_is_critical()
    {
        var finding = Found(Detect("UpdateAssumeRolePolicy",
            """{"roleName": "ci", "policyDocument": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}"}"""));
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(new RestoreTrustPolicy("ci"), finding.Revert);
    }

    [Fact]
    public void A_new_access_key_is_deactivated_not_deleted()
    {
        var finding = Found(Detect("CreateAccessKey", """{"userName": "bot"}""", """{"accessKey": {"userName": "bot", "accessKeyId": "AKIAEXAMPLE", "status": "Active"}}"""));
        Assert.Equal(new DeactivateAccessKey("bot", "AKIAEXAMPLE"), finding.Revert);
    }

    [Fact]
    public void A_console_password_is_removed_on_revert() =>
        Assert.Equal(new DeleteLoginProfile("bot"), Found(Detect("CreateLoginProfile", """{"userName": "bot"}""")).Revert);

    [Fact]
    public void Any_policy_attached_to_the_protected_q_role_is_a_finding_even_a_harmless_one()
    {
        var finding = Found(Detect("AttachRolePolicy", """{"roleName": "QDeveloperAccess", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}"""));
        Assert.Equal("true", finding.Facts["protectedRole"]);
        Assert.Contains("the protected Amazon Q role QDeveloperAccess", finding.Summary);
    }

    [Fact]
    public void The_protected_role_name_comes_from_the_policy()
    {
        var policy = Assert.IsType<PolicyLoad.Loaded>(GuardPolicy.Parse("protectedRole: DuoAgentRole")).Policy;
        Assert.IsType<DetectionOutcome.Detected>(Detect("DetachRolePolicy", """{"roleName": "DuoAgentRole", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}""", policy: policy));
        Assert.IsType<DetectionOutcome.Benign>(Detect("DetachRolePolicy", """{"roleName": "QDeveloperAccess", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}""", policy: policy));
    }

    [Fact]
    public void Removing_permissions_from_other_roles_is_benign_but_from_the_q_role_is_put_back()
    {
        Assert.IsType<DetectionOutcome.Benign>(Detect("DetachRolePolicy", """{"roleName": "app", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}"""));
        Assert.Equal(new ReattachPolicy(PrincipalKind.Role, "QDeveloperAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
            Found(Detect("DetachRolePolicy", """{"roleName": "QDeveloperAccess", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}""")).Revert);
        Assert.IsType<NothingToRestore>(Found(Detect("DeleteRolePolicy", """{"roleName": "QDeveloperAccess", "policyName": "inline"}""")).Revert);
        Assert.Equal(Severity.Critical, Found(Detect("DeleteRole", """{"roleName": "QDeveloperAccess"}""")).Severity);
    }

    [Theory]
    [InlineData(3600, true)]
    [InlineData(43199, true)]
    [InlineData(43200, false)]
    public void Lowering_the_q_role_session_duration_below_43200_is_restored(int seconds, bool risky)
    {
        var outcome = Detect("UpdateRole", $$"""{"roleName": "QDeveloperAccess", "maxSessionDuration": {{seconds}}}""");
        Assert.Equal(risky ? "finding" : "benign", outcome.Name);
        if (risky) Assert.Equal(new RestoreMaxSessionDuration("QDeveloperAccess", 43200), Found(outcome).Revert);
    }

    [Fact]
    public void A_description_change_on_the_q_role_is_benign() =>
        Assert.IsType<DetectionOutcome.Benign>(Detect("UpdateRole", """{"roleName": "QDeveloperAccess", "description": "Q agent"}"""));
}
