using System.Net;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Clients;

public sealed class IamRoleSpecs(MotoFixture moto) : ClientSpec(moto)
{
    // A trust policy whose condition values carry what encodings get wrong: spaces, '+',
    // '%', '&', '=', '/', non-ASCII letters and a line break.
    private const string UnusualTrustPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/gitlab.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringLike": {"gitlab.com:sub": "project_path:Équipe sécurité/東京+ops 100%&a=b:ref_type:branch:ref:*"}}
          }]
        }
        """;

    [Fact]
    public async Task GetRole_returns_the_role_with_its_trust_policy_exactly_as_written()
    {
        var arn = await Aws.Iam.CreateRoleAsync("duoq+guard=ops,team.a@b_c-d", UnusualTrustPolicy, path: "/duoq/", description: "Rôle de garde + approbation");

        var role = await Aws.Iam.GetRoleAsync(new GetRoleRequest("duoq+guard=ops,team.a@b_c-d"));

        Assert.Equal("duoq+guard=ops,team.a@b_c-d", role.RoleName);
        Assert.Equal(arn, role.Arn);
        Assert.Equal($"arn:aws:iam::{TestCredentials.AccountId}:role/duoq/duoq+guard=ops,team.a@b_c-d", role.Arn);
        Assert.Equal("/duoq/", role.Path);
        Assert.Equal("Rôle de garde + approbation", role.Description);
        Assert.Equal(UnusualTrustPolicy, role.AssumeRolePolicyDocument);
        Assert.False(string.IsNullOrEmpty(role.RoleId));
    }

    [Fact]
    public async Task A_role_that_does_not_exist_is_NoSuchEntity()
    {
        var error = await Assert.ThrowsAsync<AwsApiException>(() => Aws.Iam.GetRoleAsync(new GetRoleRequest("never-created")));

        Assert.Equal(AwsErrorCodes.NoSuchEntity, error.ErrorCode);
        Assert.Equal("iam", error.Service);
        Assert.Equal("GetRole", error.Operation);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("never-created", error.ErrorMessage);
    }

    [Fact]
    public async Task UpdateAssumeRolePolicy_replaces_the_trust_policy()
    {
        await Aws.Iam.CreateRoleAsync("trusting");

        await Aws.Iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest("trusting", UnusualTrustPolicy));

        var role = await Aws.Iam.GetRoleAsync(new GetRoleRequest("trusting"));
        Assert.Equal(UnusualTrustPolicy, role.AssumeRolePolicyDocument);
    }

    [Fact]
    public async Task ListRoles_pages_through_250_roles_and_returns_each_once()
    {
        var created = Enumerable.Range(1, 250).Select(i => $"role-{i:D3}").ToArray();
        foreach (var name in created) await Aws.Iam.CreateRoleAsync(name);
        Calls.Clear();

        var listed = await Aws.Iam.ListRolesAsync(new ListRolesRequest { PageSize = 100 }).ToListAsync();

        Assert.Equal(created.Order(), listed.Select(r => r.RoleName).Order());
        Assert.Equal(3, Calls.Calls.Count(c => c.Action == "iam:ListRoles"));
    }

    [Fact]
    public async Task ListRoles_with_a_path_prefix_lists_only_the_roles_under_it()
    {
        await Aws.Iam.CreateRoleAsync("guard-a", path: "/duoq/");
        await Aws.Iam.CreateRoleAsync("guard-b", path: "/duoq/");
        await Aws.Iam.CreateRoleAsync("someone-else", path: "/other/");

        var listed = await Aws.Iam.ListRolesAsync(new ListRolesRequest { PathPrefix = "/duoq/" }).ToListAsync();

        Assert.Equal(["guard-a", "guard-b"], listed.Select(r => r.RoleName).Order());
    }
}
