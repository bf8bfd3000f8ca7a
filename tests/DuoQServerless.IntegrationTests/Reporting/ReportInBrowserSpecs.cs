using DuoQServerless.Core.Reporting;
using DuoQServerless.Testing;
using DuoQServerless.Testing.Reporting;
using Microsoft.Playwright;

namespace DuoQServerless.IntegrationTests.Reporting;

/// <summary>
/// report.html opened the way a person opens it: from disk, in Chromium (Debian's, which
/// scripts/test.sh installs when missing), with no network. The screenshot goes to artifacts/.
/// </summary>
public sealed class ReportInBrowserSpecs : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly ViewportSize Viewport = new() { Width = 1280, Height = 900 };
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("duoq-report-page-");
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (scripts/test.sh does)");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _folder.Delete(recursive: true);
    }

    private async Task<(IPage Page, List<string> Errors, List<string> Requests)> OpenAsync(ComplianceReport report)
    {
        var path = Path.Combine(_folder.FullName, ReportFiles.HtmlName);
        await File.WriteAllTextAsync(path, ReportHtml.Render(report));
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = Viewport });
        var errors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") errors.Add($"{message.Type}: {message.Text}"); };
        page.PageError += (_, error) => errors.Add($"page error: {error}");
        page.Request += (_, request) => requests.Add(request.Url);
        await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return (page, errors, requests);
    }

    [Fact]
    public async Task The_page_renders_with_its_summary_visible_and_no_console_errors()
    {
        var (page, errors, requests) = await OpenAsync(ReportSamples.Full());

        Assert.Equal("DuoQServerless compliance report", await page.Locator("h1").InnerTextAsync());
        foreach (var (key, count) in new[] { ("exposed-total", "6"), ("open-security-groups", "2"), ("findings-caught", "7"), ("reverted", "3"), ("approvals-pending", "1") })
        {
            var card = page.Locator($"[data-summary='{key}'] .count");
            Assert.True(await card.IsVisibleAsync(), $"summary {key} is not visible");
            var box = await card.BoundingBoxAsync();
            Assert.True(box is { Y: >= 0 } && box.Y + box.Height <= Viewport.Height, $"summary {key} is below the fold");
            Assert.Equal(count, await card.InnerTextAsync());
        }
        Assert.True(await page.Locator("svg#findings-chart").IsVisibleAsync());
        Assert.Equal(6, await page.Locator("svg#findings-chart rect.bar").CountAsync());

        var screenshot = RepoPaths.Of("artifacts", "report", "report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });

        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is suspiciously small");
        Assert.Empty(errors);
        Assert.Equal([page.Url], requests);
    }

    [Fact]
    public async Task The_page_and_its_tables_fit_a_laptop_screen_without_sideways_scrolling()
    {
        var (page, errors, _) = await OpenAsync(ReportSamples.Full());

        var pageOverflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        var tablesOverflowing = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('.scroll')].filter(s => s.scrollWidth > s.clientWidth).map(s => s.querySelector('table').id)");

        Assert.Equal(0, pageOverflow);
        Assert.Empty(tablesOverflowing);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Hostile_names_stay_text_in_a_real_browser()
    {
        var (page, errors, _) = await OpenAsync(ReportSamples.Full());

        var scripts = await page.Locator("script").CountAsync();
        var shown = await page.Locator("table#open-security-groups").InnerTextAsync();

        Assert.Equal(0, scripts);
        Assert.Contains("<script>alert(\"x\")</script>", shown);
        Assert.Empty(errors);
    }
}
