using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Tests.Reporting;

/// <summary>Which tags make an exposed resource "accepted" rather than exposed.</summary>
public sealed class AcceptanceSpecs
{
    private static Acceptance? Accept(params (string Key, string Value)[] tags) =>
        AcceptancePolicy.Default.Accept(tags.ToDictionary(t => t.Key, t => t.Value));

    [Fact]
    public void An_exemption_tag_accepts_the_resource_and_is_named()
    {
        Assert.Equal(new Acceptance(AcceptanceKind.Exempt, "duoq:exempt", "lab network", null), Accept(("duoq:exempt", "lab network")));
    }

    [Fact]
    public void An_exemption_tag_set_to_false_does_not_exempt()
    {
        Assert.Null(Accept(("duoq:exempt", "false")));
    }

    [Fact]
    public void An_approval_tag_names_who_approved()
    {
        Assert.Equal("alice@example.com", Accept(("duoq:approved", "alice@example.com"))?.ApprovedBy);
        Assert.Equal("bob@example.com", Accept(("duoq:approved", "true"), ("duoq:approved-by", "bob@example.com"))?.ApprovedBy);
        Assert.Null(Accept(("duoq:approved", "true"))?.ApprovedBy);
    }

    [Fact]
    public void Untagged_resources_are_not_accepted()
    {
        Assert.Null(Accept(("Name", "bastion")));
    }
}
