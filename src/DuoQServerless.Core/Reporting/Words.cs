using DuoQServerless.Core.Approval;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Core.Reporting;

/// <summary>
/// How the report's closed values read. The wire name is the one report.json uses (declared once,
/// on the enum); the page shows it with spaces; the tone colours its badge.
/// </summary>
internal static class Words
{
    public static string Wire(ExposureKind value) => ReportJson.Name(value, ReportJsonContext.Default.ExposureKind);
    public static string Wire(AcceptanceKind value) => ReportJson.Name(value, ReportJsonContext.Default.AcceptanceKind);
    public static string Wire(DbKind value) => ReportJson.Name(value, ReportJsonContext.Default.DbKind);
    public static string Wire(PrincipalKind value) => ReportJson.Name(value, ReportJsonContext.Default.PrincipalKind);
    public static string Wire(CheckStatus value) => ReportJson.Name(value, ReportJsonContext.Default.CheckStatus);
    public static string Wire(FindingState value) => ReportJson.Name(value, ReportJsonContext.Default.FindingState);
    public static string Wire(RevertTrigger value) => ReportJson.Name(value, ReportJsonContext.Default.RevertTrigger);
    public static string Wire(RevertOutcome value) => ReportJson.Name(value, ReportJsonContext.Default.RevertOutcome);
    public static string Wire(ApprovalStatus value) => ReportJson.Name(value, ReportJsonContext.Default.ApprovalStatus);

    public static string Of(ExposureKind value) => Spaced(Wire(value));
    public static string Of(AcceptanceKind value) => Spaced(Wire(value));
    public static string Of(DbKind value) => Spaced(Wire(value));
    public static string Of(PrincipalKind value) => Spaced(Wire(value));
    public static string Of(CheckStatus value) => Spaced(Wire(value));
    public static string Of(FindingState value) => Spaced(Wire(value));
    public static string Of(RevertOutcome value) => Spaced(Wire(value));
    public static string Of(ApprovalStatus value) => Spaced(Wire(value));

    public static string Of(RevertTrigger value) => value switch
    {
        RevertTrigger.Policy => "policy says revert",
        RevertTrigger.Rejected => "approval rejected",
        RevertTrigger.TimedOut => "approval timed out",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown revert trigger"),
    };

    public static string Tone(CheckStatus value) => value switch
    {
        CheckStatus.Pass => "good",
        CheckStatus.Warn => "warn",
        CheckStatus.Fail => "bad",
        CheckStatus.Skipped => "neutral",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown check status"),
    };

    public static string Tone(FindingState value) => value switch
    {
        FindingState.Done => "good",
        FindingState.Failed => "bad",
        FindingState.InProgress or FindingState.AwaitingApproval => "warn",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown finding state"),
    };

    public static string Tone(RevertOutcome value) => value switch
    {
        RevertOutcome.Done => "good",
        RevertOutcome.Failed => "bad",
        RevertOutcome.InProgress => "warn",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown revert outcome"),
    };

    public static string Tone(ApprovalStatus value) => value switch
    {
        ApprovalStatus.Pending or ApprovalStatus.TimedOut => "warn",
        ApprovalStatus.Approved => "good",
        ApprovalStatus.Rejected => "bad",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown approval status"),
    };

    private static string Spaced(string wire) => wire.Replace('-', ' ');
}
