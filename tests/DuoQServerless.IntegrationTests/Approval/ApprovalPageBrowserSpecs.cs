using System.Web;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Core.Approval;
using DuoQServerless.IntegrationTests.Harness;
using Microsoft.Playwright;

namespace DuoQServerless.IntegrationTests.Approval;

/// <summary>
/// The confirmation page in a real browser: Debian's headless Chromium driven by Playwright.
/// Requests to the approval API are answered in-process by the callback (Playwright routing),
/// with the approval store in moto and an execution of the real state machine waiting for the click.
/// </summary>
public sealed class ApprovalPageBrowserSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task A_person_sees_the_finding_and_the_button_posts_the_same_link_and_decides()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (scripts/test.sh does)");
        using var world = await ApprovalWorld.CreateAsync(Endpoint);
        var callback = new ApprovalCallback(world.Store, world.Callbacks, world.Links, TimeProvider.System);
        var approval = await world.CreateWaitingApprovalAsync(ApprovalStoreSpecs.Pending(createdAt: DateTimeOffset.UtcNow) with
        {
            Summary = ApprovalStoreSpecs.Pending().Summary with { Resource = "sg-0abc <b>bold?</b>", CostPerHour = 0.0116m },
        });
        var link = world.Links.Create(ApprovalWorld.Api, approval.ApprovalId, ApprovalDecision.Approve, approval.ExpiresAt);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
        var page = await browser.NewPageAsync();
        var seen = new List<(string Method, string Url)>();
        var consoleMessages = new List<string>();
        page.Console += (_, message) => consoleMessages.Add(message.Text);
        await page.RouteAsync($"{ApprovalWorld.Api.AbsoluteUri}**", async route =>
        {
            var request = route.Request;
            seen.Add((request.Method, request.Url));
            var url = new Uri(request.Url);
            var query = HttpUtility.ParseQueryString(url.Query);
            var response = await callback.HandleAsync(new CallbackRequest
            {
                Method = request.Method,
                ApprovalId = url.Segments[^1],
                Query = query.AllKeys.ToDictionary(k => k!, k => query[k]!),
                Form = FormFields.Parse(request.PostData),
                SourceIp = "203.0.113.9",
                UserAgent = await request.HeaderValueAsync("user-agent"),
            });
            await route.FulfillAsync(new() { Status = response.StatusCode, Headers = response.Headers, Body = response.Body });
        });

        await page.GotoAsync(link.AbsoluteUri);
        var shown = await page.Locator("body").InnerTextAsync();
        var buttons = await page.Locator("button").CountAsync();
        var statusBeforeClick = await world.StatusAsync(approval.ExecutionArn);
        await page.FillAsync("input[name=decidedBy]", "Alice");
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button"), response => response.Request.Method == "POST");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        var outcome = await page.Locator("h1").InnerTextAsync();

        Assert.Contains("Approve this change?", shown);
        Assert.Contains("sg-0abc <b>bold?</b>", shown);
        Assert.Contains("assumed-role/QDeveloperAccess/agent", shown);
        Assert.Contains("$0.0116 per hour", shown);
        Assert.Equal(1, buttons);
        Assert.Equal(ExecutionStatus.Running, statusBeforeClick);
        Assert.Equal([("GET", link.AbsoluteUri), ("POST", link.AbsoluteUri)], seen);
        Assert.Equal("Approved", outcome);
        var trace = await world.WaitForEndAsync(approval.ExecutionArn);
        Assert.Equal("TaskSucceeded", Assert.Single(trace.Callbacks).Type);
        Assert.Equal(ExecutionStatus.Succeeded, trace.Status);
        var stored = (await world.Store.GetAsync(approval.ApprovalId))!;
        Assert.Equal("Alice", stored.DecidedBy);
        Assert.StartsWith("Mozilla/5.0", stored.DecidedUserAgent);
        Assert.DoesNotContain(consoleMessages, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
