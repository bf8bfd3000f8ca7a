using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Core.Approval;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Approval;

public sealed class ApprovalLinkKeySpecs(MotoFixture moto) : MotoTest(moto)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private AmazonSimpleSystemsManagementClient Ssm() =>
        new(TestCredentials.Default, new AmazonSimpleSystemsManagementConfig { ServiceURL = Endpoint.ToString(), AuthenticationRegion = TestCredentials.Region });

    [Fact]
    public async Task The_key_is_read_decrypted_from_a_secure_string_and_verifies_links_signed_with_it()
    {
        using var ssm = Ssm();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/duoq/approval-link-key", Value = ApprovalWorld.LinkSecret, Type = ParameterType.SecureString });
        var id = ApprovalIds.New();
        var link = ApprovalLink.FromSecret(ApprovalWorld.LinkSecret).Create(ApprovalWorld.Api, id, ApprovalDecision.Approve, Noon.AddHours(1));
        var q = System.Web.HttpUtility.ParseQueryString(link.Query);

        var loaded = await ApprovalLinkKey.LoadAsync(ssm, "/duoq/approval-link-key");

        Assert.IsType<LinkCheck.Valid>(loaded.Verify(id, q["d"], q["exp"], q["sig"], Noon));
    }

    [Fact]
    public async Task A_missing_parameter_is_reported_by_name()
    {
        using var ssm = Ssm();

        var e = await Assert.ThrowsAsync<ApprovalKeyUnavailableException>(() => ApprovalLinkKey.LoadAsync(ssm, "/duoq/missing-key"));

        Assert.Contains("/duoq/missing-key", e.Message);
    }

    [Fact]
    public async Task A_key_kept_in_plain_text_is_refused()
    {
        using var ssm = Ssm();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/duoq/plain-key", Value = ApprovalWorld.LinkSecret, Type = ParameterType.String });

        var e = await Assert.ThrowsAsync<ApprovalKeyUnavailableException>(() => ApprovalLinkKey.LoadAsync(ssm, "/duoq/plain-key"));

        Assert.Contains("SecureString", e.Message);
    }
}
