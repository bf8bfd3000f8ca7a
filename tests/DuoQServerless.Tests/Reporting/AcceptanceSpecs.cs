using DuoQServerless.Core.Policy;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Tests.Reporting;

/// <summary>Which tags make an exposed resource "accepted" rather than exposed, as the guards read them.</summary>
public sealed class AcceptanceSpecs
{
    private static Acceptance? Accept(params (string Key, string Value)[] tags) =>
        AcceptancePolicy.Default.Accept(tags.ToDictionary(t => t.Key, t => t.Value));

    [Fact]
    public void The_policy_exemption_tag_accepts_the_resource_and_is_named()
    {
        Assert.Equal(new Acceptance(AcceptanceKind.Exempt, "duoq:exempt", "true", null), Accept(("duoq:exempt", "true")));
    }

    [Fact]
    public void An_exemption_tag_with_another_value_does_not_exempt_as_the_guards_do_not_exempt_it()
    {
        Assert.Null(Accept(("duoq:exempt", "yes")));
        Assert.Null(Accept(("duoq:exempt", "True")));
    }

    [Fact]
    public void A_risk_that_sets_its_own_exemption_tag_is_read_with_that_tag()
    {
        var policy = GuardPolicy.Parse("""
            version: 1
            risks:
              public-ssh:
                exemptions:
                  tag: { key: "team:bastion", value: "approved-by-secops" }
            """);
        var load = Assert.IsType<PolicyLoad.Loaded>(policy);

        var acceptance = AcceptancePolicy.For(load.Policy, DuoQServerless.Core.Findings.Risk.PublicSsh);

        Assert.Equal(AcceptanceKind.Exempt, acceptance.Accept(new Dictionary<string, string> { ["team:bastion"] = "approved-by-secops" })?.Kind);
        Assert.Null(acceptance.Accept(new Dictionary<string, string> { ["duoq:exempt"] = "true" }));
    }

    [Fact]
    public void An_approval_tag_holds_the_approval_id_and_an_approved_by_tag_names_who()
    {
        var approved = Accept(("duoq:approved", "apr-7f3c"), ("duoq:approved-by", "bob@example.com"));

        Assert.Equal((AcceptanceKind.Approved, "apr-7f3c", "bob@example.com"), (approved!.Kind, approved.TagValue, approved.ApprovedBy));
        Assert.Null(Accept(("duoq:approved", "apr-7f3c"))!.ApprovedBy);
    }

    [Fact]
    public void Untagged_resources_are_not_accepted()
    {
        Assert.Null(Accept(("Name", "bastion")));
    }
}
