using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DuoQServerless.Core.Approval;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Core.Reporting;

/// <summary>report.json: the report model, camelCase, enums as kebab-case words, times as UTC "…Z".</summary>
public static class ReportJson
{
    public static string Serialize(ComplianceReport report) =>
        JsonSerializer.Serialize(report, ReportJsonContext.Default.ComplianceReport);

    public static ComplianceReport Deserialize(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Default.ComplianceReport)
        ?? throw new JsonException("report.json holds null");

    /// <summary>The word report.json uses for a closed value, so the CSV and the page use the same one.</summary>
    internal static string Name<T>(T value, JsonTypeInfo<T> type) where T : struct, Enum =>
        JsonSerializer.Serialize(value, type).Trim('"');
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    Converters = [typeof(UtcTimestampConverter), typeof(DayConverter), typeof(ApprovalStatusConverter)])]
[JsonSerializable(typeof(ComplianceReport))]
[JsonSerializable(typeof(ExposureKind))]
[JsonSerializable(typeof(AcceptanceKind))]
[JsonSerializable(typeof(DbKind))]
[JsonSerializable(typeof(PrincipalKind))]
[JsonSerializable(typeof(CheckStatus))]
[JsonSerializable(typeof(FindingState))]
[JsonSerializable(typeof(RevertTrigger))]
[JsonSerializable(typeof(RevertOutcome))]
[JsonSerializable(typeof(ApprovalStatus))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;

/// <summary>Every time in the report is UTC ISO 8601 to the second ("2026-11-24T12:00:00Z").</summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("a time is null"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}

/// <summary>
/// The approval workflow's status in the report's words ("timed-out"): its enum carries no JSON
/// names of its own, and report.json's schema must not move if the workflow's names do.
/// </summary>
internal sealed class ApprovalStatusConverter : JsonConverter<ApprovalStatus>
{
    public static string Name(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Pending => "pending",
        ApprovalStatus.Approved => "approved",
        ApprovalStatus.Rejected => "rejected",
        ApprovalStatus.TimedOut => "timed-out",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown approval status"),
    };

    public override ApprovalStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        foreach (var status in Enum.GetValues<ApprovalStatus>())
            if (Name(status) == text) return status;
        throw new JsonException($"'{text}' is not an approval status");
    }

    public override void Write(Utf8JsonWriter writer, ApprovalStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Name(value));
}

/// <summary>A day is "yyyy-MM-dd", the ISO 8601 calendar date.</summary>
internal sealed class DayConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateOnly.ParseExact(reader.GetString() ?? throw new JsonException("a day is null"), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}

/// <summary>The one way every renderer writes a time, so the page, the CSV and the JSON agree.</summary>
public static class ReportTime
{
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString(UtcTimestampConverter.Format, CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset? time) => time is { } t ? Iso(t) : "";

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"45s", "4m 12s", "3h 05m", "2d 04h": a duration a person reads at a glance.</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours:00}h"
            : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes:00}m"
            : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m {t.Seconds:00}s"
            : $"{t.Seconds}s";
    }
}
