using System.Text.Json;
using DuoQServerless.Core.Reporting;
using DuoQServerless.Testing;
using DuoQServerless.Testing.Reporting;

namespace DuoQServerless.Tests.Reporting;

/// <summary>report.json: the same data as the page, in the shape docs/report.schema.json promises.</summary>
public sealed class ReportJsonSpecs
{
    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(RepoPaths.Of("docs", "report.schema.json"))).RootElement;

    [Fact]
    public void A_full_report_matches_its_schema()
    {
        var json = JsonDocument.Parse(ReportJson.Serialize(ReportSamples.Full())).RootElement;

        Assert.Empty(JsonSchemaCheck.Errors(json, Schema));
    }

    [Fact]
    public void An_empty_report_matches_its_schema()
    {
        var json = JsonDocument.Parse(ReportJson.Serialize(ReportSamples.Empty())).RootElement;

        Assert.Empty(JsonSchemaCheck.Errors(json, Schema));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("validator").ValueKind);
    }

    [Fact]
    public void The_schema_refuses_a_property_it_does_not_declare()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(ReportJson.Serialize(ReportSamples.Empty()))!.AsObject();
        json["summary"]!.AsObject()["surprise"] = 1;

        var errors = JsonSchemaCheck.Errors(JsonDocument.Parse(json.ToJsonString()).RootElement, Schema);

        Assert.Contains(errors, e => e.Contains("surprise", StringComparison.Ordinal));
    }

    [Fact]
    public void It_carries_its_schema_version_times_in_UTC_and_closed_values_as_words()
    {
        var json = JsonDocument.Parse(ReportJson.Serialize(ReportSamples.Full())).RootElement;

        Assert.Equal(ComplianceReport.CurrentSchemaVersion, json.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("2026-11-24T12:00:00Z", json.GetProperty("generatedAt").GetString());
        Assert.Equal("timed-out", json.GetProperty("activity").GetProperty("approvals")[3].GetProperty("status").GetString());
        Assert.Equal(3363.84m, json.GetProperty("exposed").GetProperty("oversizedInstances")[0].GetProperty("monthlyUsd").GetDecimal());
    }

    [Fact]
    public void Reading_report_json_back_gives_the_same_report()
    {
        var report = ReportSamples.Full();

        var again = ReportJson.Deserialize(ReportJson.Serialize(report));

        Assert.Equal(ReportJson.Serialize(report), ReportJson.Serialize(again));
        Assert.Equal(report.Summary, again.Summary);
    }
}
