using System.Xml;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using DuoQServerless.Core.Reporting;
using DuoQServerless.Testing.Reporting;

namespace DuoQServerless.Tests.Reporting;

/// <summary>report.html as a person (and a parser) reads it.</summary>
public sealed class ReportHtmlSpecs
{
    private static readonly string Page = ReportHtml.Render(ReportSamples.Full());
    private static readonly IDocument Document = new HtmlParser(new HtmlParserOptions { IsStrictMode = true }).ParseDocument(Page);

    private static string Summary(string key) =>
        Document.QuerySelector($"[data-summary='{key}'] .count")?.TextContent ?? throw new Xunit.Sdk.XunitException($"no summary card {key}");

    private static IReadOnlyList<string[]> Rows(string tableId) =>
        [.. Document.QuerySelectorAll($"table#{tableId} tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray())];

    [Fact]
    public void The_summary_at_the_top_shows_the_counts()
    {
        Assert.Equal("6", Summary("exposed-total"));
        Assert.Equal("2", Summary("open-security-groups"));
        Assert.Equal("1", Summary("oversized-instances"));
        Assert.Equal("2", Summary("accepted"));
        Assert.Equal("1", Summary("validator-failing"));
        Assert.Equal("7", Summary("findings-caught"));
        Assert.Equal("3", Summary("reverted"));
        Assert.Equal("1", Summary("approvals-pending"));
        var firstSection = Document.QuerySelector("main > section");
        Assert.Equal("summary", firstSection?.Id);
    }

    [Fact]
    public void Open_security_groups_are_listed_by_region_with_their_open_rules()
    {
        var rows = Rows("open-security-groups");

        Assert.Equal(["sg-0all", "sg-0ssh"], rows.Select(r => r[0]));
        Assert.Equal(["eu-west-1", "us-east-1"], rows.Select(r => r[3]));
        Assert.Equal("all ports from ::/0", rows[0][4]);
        Assert.Equal("tcp 22 from 0.0.0.0/0", rows[1][4]);
    }

    [Fact]
    public void An_oversized_instance_shows_its_price_per_hour_and_per_month()
    {
        var row = Assert.Single(Rows("oversized-instances"));

        Assert.Equal(["i-0big", "m5.24xlarge", "us-east-1", "$4.608/h", "$3,363.84/month", "2026-11-24T07:00:00Z"], row[..6]);
        Assert.Contains("96 vCPU over 16", row[6]);
    }

    [Fact]
    public void Accepted_resources_are_listed_apart_with_the_tag_and_who_approved()
    {
        var rows = Rows("accepted-resources");

        Assert.Equal(["sg-0lab", "i-0train"], rows.Select(r => r[0]));
        Assert.Equal("exempt duoq:exempt=true", rows[0][5]);
        Assert.Equal("alice@example.com", rows[1][6]);
        Assert.DoesNotContain("sg-0lab", Document.QuerySelector("#exposed")!.TextContent);
    }

    [Fact]
    public void Text_from_the_account_is_shown_as_text_never_as_markup()
    {
        Assert.Empty(Document.QuerySelectorAll("script"));
        Assert.Equal(ReportSamples.Hostile, Rows("open-security-groups")[0][1]);
    }

    [Fact]
    public void The_page_needs_nothing_from_outside_itself()
    {
        Assert.Empty(Document.QuerySelectorAll("script, link, img, iframe, object, embed"));
        var references = Document.All.SelectMany(e => e.Attributes).Where(a => a.Name is "src" or "href" or "xlink:href" or "srcset").Select(a => a.Value);
        Assert.All(references, r => Assert.StartsWith("#", r));
        Assert.DoesNotContain("url(", Document.QuerySelector("style")!.TextContent);
        Assert.DoesNotContain("@import", Document.QuerySelector("style")!.TextContent);
    }

    [Fact]
    public void The_chart_stacks_one_segment_per_day_and_risk_with_its_count()
    {
        var bars = Document.QuerySelectorAll("svg#findings-chart rect.bar")
            .Select(r => (r.GetAttribute("data-day"), r.GetAttribute("data-risk"), r.GetAttribute("data-count")))
            .ToList();

        Assert.Equal(
            [
                ("2026-11-22", "public-ssh", "1"),
                ("2026-11-23", "oversized-instance", "1"), ("2026-11-23", "public-ssh", "1"),
                ("2026-11-24", "iam-change", "2"), ("2026-11-24", "oversized-instance", "1"), ("2026-11-24", "rds-delete", "1"),
            ],
            bars);
        Assert.Equal(4, Document.QuerySelectorAll("svg#findings-chart text").Count(t => t.TextContent.StartsWith("11-2", StringComparison.Ordinal)));
    }

    [Fact]
    public void Approvals_show_the_time_to_decision()
    {
        var rows = Rows("approvals");

        Assert.Equal(["pending", "approved", "rejected", "timed out"], rows.Select(r => r[3]));
        Assert.Equal(["", "4m 00s", "12m 00s", "1h 00m"], rows.Select(r => r[5]));
    }

    [Fact]
    public void Times_are_UTC_ISO_8601()
    {
        var times = Document.QuerySelectorAll("time").Select(t => t.GetAttribute("datetime")!).ToList();

        Assert.NotEmpty(times);
        Assert.All(times, t => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", t));
    }

    [Fact]
    public void The_page_is_well_formed_XML_too()
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(Page), settings);
        while (reader.Read()) { }
    }

    [Fact]
    public void An_empty_report_says_there_is_nothing_instead_of_showing_empty_tables()
    {
        var empty = new HtmlParser().ParseDocument(ReportHtml.Render(ReportSamples.Empty()));

        Assert.Empty(empty.QuerySelectorAll("table"));
        Assert.Equal("0", empty.QuerySelector("[data-summary='exposed-total'] .count")!.TextContent);
        Assert.Contains("No findings in this period.", empty.QuerySelector("svg#findings-chart")!.TextContent);
        Assert.Contains("did not run", empty.QuerySelector("#validator")!.TextContent);
    }
}
