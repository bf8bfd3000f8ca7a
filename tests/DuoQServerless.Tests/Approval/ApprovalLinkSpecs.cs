using System.Text;
using DuoQServerless.Core.Approval;

namespace DuoQServerless.Tests.Approval;

public sealed class ApprovalLinkSpecs
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly Uri Api = new("https://abc123.execute-api.us-east-1.amazonaws.com/");
    private readonly ApprovalLink _links = ApprovalLink.FromSecret("a-test-key-of-at-least-32-bytes-long!");
    private readonly string _id = ApprovalIds.New();

    private static Dictionary<string, string> Query(Uri link) =>
        link.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

    private LinkCheck Check(Uri link, DateTimeOffset now, string? id = null)
    {
        var q = Query(link);
        return _links.Verify(id ?? link.Segments[^1], q.GetValueOrDefault("d"), q.GetValueOrDefault("exp"), q.GetValueOrDefault("sig"), now);
    }

    [Fact]
    public void A_link_has_the_approval_path_the_decision_the_expiry_and_a_signature()
    {
        var link = _links.Create(Api, _id, ApprovalDecision.Approve, Noon.AddHours(24));

        Assert.Equal("https", link.Scheme);
        Assert.Equal($"/approvals/{_id}", link.AbsolutePath);
        var q = Query(link);
        Assert.Equal("approve", q["d"]);
        Assert.Equal(Noon.AddHours(24).ToUnixTimeSeconds().ToString(), q["exp"]);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", q["sig"]);
    }

    [Fact]
    public void The_link_as_issued_is_valid_until_it_expires()
    {
        var link = _links.Create(Api, _id, ApprovalDecision.Reject, Noon.AddHours(1));

        var valid = Assert.IsType<LinkCheck.Valid>(Check(link, Noon.AddMinutes(59)));

        Assert.Equal(_id, valid.ApprovalId);
        Assert.Equal(ApprovalDecision.Reject, valid.Decision);
        Assert.Equal(Noon.AddHours(1), valid.ExpiresAt);
    }

    [Fact]
    public void A_link_at_or_after_its_expiry_is_expired()
    {
        var link = _links.Create(Api, _id, ApprovalDecision.Approve, Noon.AddHours(1));

        Assert.IsType<LinkCheck.Expired>(Check(link, Noon.AddHours(1)));
        Assert.IsType<LinkCheck.Expired>(Check(link, Noon.AddDays(3)));
    }

    [Fact]
    public void A_forged_signature_is_refused()
    {
        var link = _links.Create(Api, _id, ApprovalDecision.Approve, Noon.AddHours(1));
        var q = Query(link);
        var forged = q["sig"][0] == 'A' ? "B" + q["sig"][1..] : "A" + q["sig"][1..];

        Assert.IsType<LinkCheck.BadSignature>(_links.Verify(_id, "approve", q["exp"], forged, Noon));
    }

    [Fact]
    public void A_link_signed_with_another_key_is_refused()
    {
        var other = ApprovalLink.FromSecret("another-key-that-is-also-32-bytes-long");
        var link = other.Create(Api, _id, ApprovalDecision.Approve, Noon.AddHours(1));

        Assert.IsType<LinkCheck.BadSignature>(Check(link, Noon));
    }

    [Fact]
    public void Changing_the_decision_of_a_reject_link_to_approve_is_refused()
    {
        var q = Query(_links.Create(Api, _id, ApprovalDecision.Reject, Noon.AddHours(1)));

        Assert.IsType<LinkCheck.BadSignature>(_links.Verify(_id, "approve", q["exp"], q["sig"], Noon));
    }

    [Fact]
    public void Moving_a_signature_to_another_approval_id_is_refused()
    {
        var link = _links.Create(Api, _id, ApprovalDecision.Approve, Noon.AddHours(1));

        Assert.IsType<LinkCheck.BadSignature>(Check(link, Noon, id: ApprovalIds.New()));
    }

    [Fact]
    public void Extending_the_expiry_is_refused()
    {
        var q = Query(_links.Create(Api, _id, ApprovalDecision.Approve, Noon.AddHours(1)));
        var later = Noon.AddDays(30).ToUnixTimeSeconds().ToString();

        Assert.IsType<LinkCheck.BadSignature>(_links.Verify(_id, "approve", later, q["sig"], Noon.AddDays(2)));
    }

    [Theory]
    [InlineData(null, "approve", "1795000000", "sig")]
    [InlineData("short", "approve", "1795000000", "sig")]
    [InlineData("abcdefghijklmnop\nq", "approve", "1795000000", "sig")]
    [InlineData("abcdefghijklmnopqr", "APPROVE", "1795000000", "sig")]
    [InlineData("abcdefghijklmnopqr", "maybe", "1795000000", "sig")]
    [InlineData("abcdefghijklmnopqr", "approve", null, "sig")]
    [InlineData("abcdefghijklmnopqr", "approve", "-5", "sig")]
    [InlineData("abcdefghijklmnopqr", "approve", "1e9", "sig")]
    [InlineData("abcdefghijklmnopqr", "approve", "99999999999999999999", "sig")]
    [InlineData("abcdefghijklmnopqr", "approve", "1795000000", null)]
    [InlineData("abcdefghijklmnopqr", "approve", "1795000000", "not base64url!")]
    [InlineData("abcdefghijklmnopqr", "approve", "1795000000", "AAAA")]
    public void A_link_with_a_missing_or_misshapen_part_is_malformed(string? id, string? decision, string? exp, string? sig)
    {
        var realSig = Query(_links.Create(Api, "abcdefghijklmnopqr", ApprovalDecision.Approve, DateTimeOffset.FromUnixTimeSeconds(1795000000)))["sig"];

        Assert.IsType<LinkCheck.Malformed>(_links.Verify(id, decision, exp, sig == "sig" ? realSig : sig, Noon));
    }

    [Fact]
    public void A_key_shorter_than_32_bytes_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ApprovalLink(Encoding.UTF8.GetBytes("too-short")));
        Assert.Contains("32 bytes", e.Message);
    }

    [Fact]
    public void Approval_ids_are_random_and_url_safe()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => ApprovalIds.New()).ToList();

        Assert.Equal(200, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9_-]{22}$", id));
        Assert.All(ids, id => Assert.True(ApprovalIds.IsWellFormed(id)));
    }
}
