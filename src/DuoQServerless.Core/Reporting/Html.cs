using System.Globalization;
using System.Net;
using System.Text;

namespace DuoQServerless.Core.Reporting;

/// <summary>
/// The few HTML pieces the report is built from. Every text goes through <see cref="Encode"/>;
/// markup is only ever made here and in the renderers, never taken from the account's data.
/// Output is well-formed XML too (closed tags, quoted attributes), so any XML parser reads it.
/// </summary>
internal static class Html
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Attr(string name, string? value) => $" {name}=\"{Encode(value)}\"";

    public static string Time(DateTimeOffset? time) => time is { } t
        ? $"<time datetime=\"{ReportTime.Iso(t)}\">{ReportTime.Iso(t)}</time>"
        : "<span class=\"muted\">unknown</span>";

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Badge(string text, string tone) => $"<span class=\"badge {tone}\">{Encode(text)}</span>";

    /// <summary>
    /// The part of an ARN a person recognises ("QDeveloperAccess/agent" for an assumed role,
    /// "user/alice"), the whole ARN on hover; anything that is not an ARN is shown as it is.
    /// </summary>
    public static string Actor(string arn)
    {
        var parts = arn.Split(':', 6);
        var shown = parts.Length == 6 && parts[0] == "arn" ? parts[5] : arn;
        if (shown.StartsWith("assumed-role/", StringComparison.Ordinal)) shown = shown["assumed-role/".Length..];
        return $"<code{Attr("title", arn)}>{Encode(shown)}</code>";
    }

    public static string Code(string? text) => string.IsNullOrEmpty(text) ? "<span class=\"muted\">none</span>" : $"<code>{Encode(text)}</code>";

    /// <summary>A table a person can scan: a header row, then one row per item; or a line saying there is none.</summary>
    public static void Table(StringBuilder page, string id, string empty, IReadOnlyList<string> headers, IEnumerable<Cell[]> rows)
    {
        var body = rows.ToList();
        if (body.Count == 0)
        {
            page.Append($"<p class=\"none\" id=\"{id}\">{Encode(empty)}</p>\n");
            return;
        }
        page.Append($"<div class=\"scroll\"><table id=\"{id}\">\n<thead><tr>");
        // A column of numbers is right-aligned, its header too, so the digits line up under it.
        for (var i = 0; i < headers.Count; i++)
            page.Append(i < body[0].Length && body[0][i].Class == "num" ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">").Append(Encode(headers[i])).Append("</th>");
        page.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in body)
        {
            page.Append("<tr>");
            foreach (var cell in row) page.Append(cell.Class is null ? "<td>" : $"<td class=\"{cell.Class}\">").Append(cell.Markup).Append("</td>");
            page.Append("</tr>\n");
        }
        page.Append("</tbody></table></div>\n");
    }
}

/// <summary>A table cell: plain text (encoded on the way in) or markup made by <see cref="Html"/>.</summary>
internal readonly record struct Cell(string Markup, string? Class = null)
{
    public static implicit operator Cell(string? text) => new(Html.Encode(text));

    public static Cell Raw(string markup, string? cssClass = null) => new(markup, cssClass);

    public static Cell Num(string text) => new(Html.Encode(text), "num");

    /// <summary>A short value (a region, a time) that reads badly when wrapped.</summary>
    public static Cell Short(string text) => new(Html.Encode(text), "nowrap");
}
