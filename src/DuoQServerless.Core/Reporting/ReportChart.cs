using System.Globalization;
using System.Text;

namespace DuoQServerless.Core.Reporting;

/// <summary>
/// Findings per day per risk as an inline SVG of stacked bars: one bar per UTC day of the
/// period (the last <see cref="MaxDays"/> if longer), one colour per risk, a legend, and a
/// title on each segment so a pointer shows the exact count.
/// </summary>
internal static class ReportChart
{
    public const int MaxDays = 62;
    private const int Width = 760, Height = 230, Left = 40, Right = 12, Top = 14, Bottom = 64;
    private static readonly string[] Palette = ["#c0392b", "#d68910", "#2471a3", "#7d3c98", "#138d75", "#566573", "#a04000", "#1f618d"];

    public static string Colour(int riskIndex) => Palette[riskIndex % Palette.Length];

    public static string FindingsPerDay(IReadOnlyList<DailyRiskCount> counts, ReportPeriod period)
    {
        var days = Days(period);
        var risks = counts.Select(c => c.Risk).Distinct().Order(StringComparer.Ordinal).ToList();
        var byDay = counts.ToLookup(c => c.Day);
        var peak = Math.Max(1, days.Max(d => byDay[d].Sum(c => c.Count)));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var slot = (double)plotWidth / days.Count;
        var barWidth = Math.Max(2, slot * 0.7);

        var svg = new StringBuilder();
        var total = counts.Sum(c => c.Count);
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"findings-chart\" role=\"img\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\"");
        svg.Append(Html.Attr("aria-label", $"Findings per day per risk: {total} findings over {days.Count} days")).Append(">\n");
        svg.Append($"<title>Findings per day per risk</title>\n");

        foreach (var tick in Ticks(peak))
        {
            var y = Top + plotHeight - plotHeight * tick / (double)peak;
            svg.Append($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(y)}\" y2=\"{F(y)}\" />");
            svg.Append($"<text class=\"axis\" x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{tick}</text>\n");
        }

        var labelEvery = Math.Max(1, (int)Math.Ceiling(days.Count / 14.0));
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            var x = Left + i * slot + (slot - barWidth) / 2;
            var baseline = (double)(Top + plotHeight);
            foreach (var count in byDay[day].OrderBy(c => c.Risk, StringComparer.Ordinal))
            {
                var h = plotHeight * count.Count / (double)peak;
                baseline -= h;
                var label = $"{ReportTime.Day(day)} {count.Risk}: {count.Count}";
                svg.Append($"<rect class=\"bar\" x=\"{F(x)}\" y=\"{F(baseline)}\" width=\"{F(barWidth)}\" height=\"{F(h)}\" fill=\"{Colour(risks.IndexOf(count.Risk))}\"");
                svg.Append(Html.Attr("data-day", ReportTime.Day(day))).Append(Html.Attr("data-risk", count.Risk)).Append($" data-count=\"{count.Count}\">");
                svg.Append($"<title>{Html.Encode(label)}</title></rect>\n");
            }
            if (i % labelEvery == 0 || i == days.Count - 1)
                svg.Append($"<text class=\"axis\" x=\"{F(Left + i * slot + slot / 2)}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{day.ToString("MM-dd", CultureInfo.InvariantCulture)}</text>\n");
        }
        svg.Append($"<line class=\"base\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight}\" />\n");

        var legendX = (double)Left;
        var legendY = Height - 18;
        if (risks.Count == 0)
            svg.Append($"<text class=\"axis\" x=\"{Left}\" y=\"{legendY + 10}\">No findings in this period.</text>\n");
        for (var r = 0; r < risks.Count; r++)
        {
            svg.Append($"<rect x=\"{F(legendX)}\" y=\"{legendY}\" width=\"12\" height=\"12\" fill=\"{Colour(r)}\" />");
            svg.Append($"<text class=\"legend\" x=\"{F(legendX + 16)}\" y=\"{legendY + 10}\">{Html.Encode(risks[r])}</text>\n");
            legendX += 28 + 7 * risks[r].Length;
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Every UTC day from the period's start to its end, at most <see cref="MaxDays"/> (the latest).</summary>
    private static List<DateOnly> Days(ReportPeriod period)
    {
        var first = DateOnly.FromDateTime(period.Since.UtcDateTime);
        var last = DateOnly.FromDateTime(period.Until.UtcDateTime);
        if (last < first) last = first;
        if (last.DayNumber - first.DayNumber >= MaxDays) first = last.AddDays(-(MaxDays - 1));
        return [.. Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays)];
    }

    /// <summary>Whole-number gridlines: 0, the peak, and a middle one when it is a whole number.</summary>
    private static IEnumerable<int> Ticks(int peak) => peak % 2 == 0 && peak > 1 ? [0, peak / 2, peak] : [0, peak];

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
