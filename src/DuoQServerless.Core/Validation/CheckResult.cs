using System.Text.Json.Serialization;

namespace DuoQServerless.Core.Validation;

[JsonConverter(typeof(JsonStringEnumConverter<CheckStatus>))]
public enum CheckStatus
{
    [JsonStringEnumMemberName("pass")] Pass,
    [JsonStringEnumMemberName("warn")] Warn,
    [JsonStringEnumMemberName("fail")] Fail,
    [JsonStringEnumMemberName("skipped")] Skipped,
}

/// <summary>
/// The outcome of one check. <see cref="Evidence"/> says what was seen (never a secret);
/// <see cref="Fix"/> says what to do, citing the guide's steps, and is null when the check passed;
/// <see cref="Guide"/> links the guide's section.
/// </summary>
public sealed record CheckResult(
    int Number,
    string Id,
    string Title,
    CheckStatus Status,
    IReadOnlyList<string> Evidence,
    string? Fix,
    string Guide);

/// <summary>A check's identity: number and id are stable, so stored results and alerts can be compared.</summary>
public sealed record CheckDefinition(int Number, string Id, string Title, GuideSection Guide)
{
    public CheckResult Pass(params IEnumerable<string> evidence) => Result(CheckStatus.Pass, evidence, fix: null);

    public CheckResult Warn(IEnumerable<string> evidence, string fix) => Result(CheckStatus.Warn, evidence, fix);

    public CheckResult Fail(IEnumerable<string> evidence, string fix) => Result(CheckStatus.Fail, evidence, fix);

    public CheckResult Skipped(string why, string? howToRun = null) => Result(CheckStatus.Skipped, [why], howToRun);

    private CheckResult Result(CheckStatus status, IEnumerable<string> evidence, string? fix) =>
        new(Number, Id, Title, status, evidence.ToArray(), fix, Guide.Url);
}

/// <summary>What was validated: enough to tell two stored reports apart.</summary>
public sealed record ValidationSubject(
    string AccountId,
    string Region,
    string RoleName,
    string? InstanceId,
    string? GitLabUrl);

/// <summary>The validator's answer: every check, and the worst status among them.</summary>
public sealed record ValidationReport(
    int SchemaVersion,
    DateTimeOffset CheckedAt,
    CheckStatus Overall,
    ValidationSubject Subject,
    IReadOnlyList<CheckResult> Checks)
{
    public const int CurrentSchemaVersion = 1;

    [JsonIgnore]
    public bool HasFailures => Checks.Any(c => c.Status == CheckStatus.Fail);

    /// <summary>Fail if any check fails, else warn if any warns, else pass; skipped if nothing could run.</summary>
    public static CheckStatus Worst(IEnumerable<CheckResult> checks)
    {
        var statuses = checks.Select(c => c.Status).ToArray();
        if (statuses.Contains(CheckStatus.Fail)) return CheckStatus.Fail;
        if (statuses.Contains(CheckStatus.Warn)) return CheckStatus.Warn;
        if (statuses.Contains(CheckStatus.Pass)) return CheckStatus.Pass;
        return CheckStatus.Skipped;
    }

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, ValidationJsonContext.Readable.ValidationReport);

    /// <exception cref="System.Text.Json.JsonException">The text is not a stored report.</exception>
    public static ValidationReport FromJson(string json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, ValidationJsonContext.Default.ValidationReport)
        ?? throw new System.Text.Json.JsonException("a stored validation report cannot be null");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ValidationReport))]
public sealed partial class ValidationJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Writes quotes and apostrophes as themselves: reports are read by people (CLI, e-mail) and
    /// stored as data, never embedded in HTML unescaped.
    /// </summary>
    public static ValidationJsonContext Readable { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
