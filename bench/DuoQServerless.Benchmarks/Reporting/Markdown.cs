using System.Globalization;
using System.Text;

namespace DuoQServerless.Benchmarks.Reporting;

/// <summary>A table printed to the console and written as a markdown table; one shape for both.</summary>
public sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Add(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"{cells.Length} cells for {headers.Length} columns");
        _rows.Add(cells);
        return this;
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", headers) + " |");
        text.AppendLine("|" + string.Concat(headers.Select((_, i) => i == 0 ? " --- |" : " ---: |")));
        foreach (var row in _rows) text.AppendLine("| " + string.Join(" | ", row) + " |");
        return text.ToString();
    }

    public string ToConsole()
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        var text = new StringBuilder();
        text.AppendLine(Line(headers));
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows) text.AppendLine(Line(row));
        return text.ToString();
    }
}

public static class Figures
{
    public static string Micros(double nanoseconds) => (nanoseconds / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " µs";

    public static string Millis(double milliseconds) => milliseconds.ToString(milliseconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Count(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    /// <summary>Writes a section another script splices into BENCHMARKS.md.</summary>
    public static string WriteSection(string fileName, string markdown)
    {
        var path = Repo.Of("bench", "out", fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, markdown);
        return path;
    }
}
