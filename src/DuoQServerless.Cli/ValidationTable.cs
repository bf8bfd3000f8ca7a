using DuoQServerless.Core.Validation;
using Spectre.Console;

namespace DuoQServerless.Cli;

/// <summary>A validation report as a person reads it: one row per check, status in colour, then a summary line.</summary>
internal static class ValidationTable
{
    public static void Write(IAnsiConsole ui, ValidationReport report)
    {
        var subject = report.Subject;
        ui.MarkupLine($"[bold]GitLab Duo with Amazon Q setup[/] in account {Markup.Escape(subject.AccountId)} ({Markup.Escape(subject.Region)}), " +
                      $"role {Markup.Escape(subject.RoleName)}, instance {Markup.Escape(subject.InstanceId ?? "unknown")}" +
                      (subject.GitLabUrl is null ? "" : $", GitLab {Markup.Escape(subject.GitLabUrl)}"));

        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn(new TableColumn("Check").NoWrap());
        table.AddColumn(new TableColumn("Status").NoWrap());
        table.AddColumn(new TableColumn("Title"));
        table.AddColumn(new TableColumn("Evidence"));
        table.AddColumn(new TableColumn("Fix"));
        foreach (var check in report.Checks)
        {
            table.AddRow(
                new Text($"{check.Number} {check.Id}"),
                new Markup(Status(check.Status)),
                new Text(check.Title),
                new Text(string.Join("\n", check.Evidence)),
                new Text(check.Fix is null ? "" : $"{check.Fix.Trim()}\n{check.Guide}"));
        }
        ui.Write(table);

        var failing = report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Id).ToArray();
        var warning = report.Checks.Where(c => c.Status == CheckStatus.Warn).Select(c => c.Id).ToArray();
        var skipped = report.Checks.Count(c => c.Status == CheckStatus.Skipped);
        var summary = failing.Length == 0
            ? "[green]No check fails.[/]"
            : $"[red]{failing.Length} of {report.Checks.Count} checks fail:[/] {Markup.Escape(string.Join(", ", failing))}.";
        if (warning.Length > 0) summary += $" [yellow]{warning.Length} warn:[/] {Markup.Escape(string.Join(", ", warning))}.";
        if (skipped > 0) summary += $" {skipped} skipped.";
        ui.MarkupLine(summary);
    }

    private static string Status(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "[green]pass[/]",
        CheckStatus.Warn => "[yellow]warn[/]",
        CheckStatus.Fail => "[red bold]FAIL[/]",
        CheckStatus.Skipped => "[grey]skipped[/]",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
