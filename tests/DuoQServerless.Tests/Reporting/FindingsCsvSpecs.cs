using CsvHelper;
using DuoQServerless.Core.Reporting;
using DuoQServerless.Testing.Reporting;

namespace DuoQServerless.Tests.Reporting;

/// <summary>findings.csv as a spreadsheet or a script reads it.</summary>
public sealed class FindingsCsvSpecs
{
    private static readonly string Csv = FindingsCsv.Render(ReportSamples.Full());

    /// <summary>Reads strictly: bad quoting or a record with a different field count throws.</summary>
    private static List<Dictionary<string, string>> Read(string csv)
    {
        var options = new CsvReaderOptions
        {
            Separator = ',',
            Mode = CsvMode.Rfc4180,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
        };
        using var reader = CsvReader.FromText(csv, options);
        var header = reader.Headers.ToArray();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read()) rows.Add(header.Select((h, i) => (h, i)).ToDictionary(c => c.h, c => reader.GetString(c.i)));
        return rows;
    }

    [Fact]
    public void There_is_one_row_per_exposed_resource_per_accepted_resource_and_per_audit_finding()
    {
        var rows = Read(Csv);

        Assert.Equal(
            [
                ("open-security-group", "exposed", 2), ("oversized-instance", "exposed", 1), ("unprotected-database", "exposed", 1),
                ("admin-principal", "exposed", 1), ("old-access-key", "exposed", 1),
                ("open-security-group", "accepted", 1), ("oversized-instance", "accepted", 1),
                ("audit-finding", "done", 5), ("audit-finding", "failed", 1), ("audit-finding", "awaiting-approval", 1),
            ],
            rows.GroupBy(r => (r["kind"], r["state"])).Select(g => (g.Key.Item1, g.Key.Item2, g.Count())));
    }

    [Fact]
    public void Commas_quotes_and_line_breaks_survive_the_round_trip()
    {
        var group = Read(Csv).Single(r => r["resource"] == "sg-0all");

        Assert.Equal(ReportSamples.Hostile, group["name"]);
        Assert.Equal("all ports from ::/0", group["detail"]);
    }

    [Fact]
    public void Every_record_ends_with_CRLF_and_the_header_names_the_columns()
    {
        Assert.StartsWith(string.Join(",", FindingsCsv.Columns) + "\r\n", Csv);
        Assert.EndsWith("\r\n", Csv);
        Assert.Equal(0, BareLineFeedsOutsideQuotes(Csv));
    }

    private static int BareLineFeedsOutsideQuotes(string csv)
    {
        var (quoted, bare) = (false, 0);
        for (var i = 0; i < csv.Length; i++)
        {
            if (csv[i] == '"') quoted = !quoted;
            else if (csv[i] == '\n' && !quoted && (i == 0 || csv[i - 1] != '\r')) bare++;
        }
        return bare;
    }

    [Fact]
    public void A_value_a_spreadsheet_would_run_as_a_formula_is_written_as_text()
    {
        var inputs = ReportSamples.Inputs() with { Audit = [], Scan = ScanFindings.None };
        var report = ComplianceReportBuilder.Build(inputs with
        {
            Scan = new ScanFindings { Exposed = new ExposedNow { OpenSecurityGroups = [new("sg-1", "=HYPERLINK(\"http://x\")", null, "us-east-1", [new RiskyIngressRule("tcp", 22, 22, "0.0.0.0/0", [22])])] } },
        });

        var row = Assert.Single(Read(FindingsCsv.Render(report)));

        Assert.Equal("'=HYPERLINK(\"http://x\")", row["name"]);
    }

    [Fact]
    public void Audit_rows_carry_the_risk_decision_result_and_UTC_time()
    {
        var row = Read(Csv).Single(r => r["resource"] == "res-ev-2");

        Assert.Equal(("public-ssh", "revert", "AccessDenied", "2026-11-23T12:00:00Z", ReportSamples.Agent),
            (row["risk"], row["decision"], row["result"], row["time"], row["actor"]));
    }
}
