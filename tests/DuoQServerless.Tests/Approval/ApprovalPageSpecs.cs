using System.Text.Json;
using DuoQServerless.Core.Approval;
using static DuoQServerless.Tests.Approval.ApprovalSamples;

namespace DuoQServerless.Tests.Approval;

public sealed class ApprovalPageSpecs
{
    [Fact]
    public void The_confirmation_page_shows_the_finding_and_one_button_that_posts_and_no_script()
    {
        var page = ApprovalPages.Confirmation(Record(), ApprovalDecision.Reject);

        Assert.Equal(200, page.StatusCode);
        Assert.Contains("public-ssh", page.Body);
        Assert.Contains("sg-0abc1234", page.Body);
        Assert.Contains("assumed-role/QDeveloperAccess/agent-session", page.Body);
        Assert.Contains("$0.384 per hour", page.Body);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page.Body, "<button"));
        Assert.Contains("<form method=\"post\">", page.Body);
        Assert.DoesNotContain("<script", page.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onload", page.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http-equiv", page.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_page_forbids_caching_referrers_framing_and_scripts()
    {
        var pages = new[]
        {
            ApprovalPages.Confirmation(Record(), ApprovalDecision.Approve), ApprovalPages.InvalidLink(), ApprovalPages.LinkExpired(Noon),
            ApprovalPages.NotFound(), ApprovalPages.TimedOut(Record()), ApprovalPages.Unavailable(), ApprovalPages.MethodNotAllowed(),
        };

        Assert.All(pages, page =>
        {
            Assert.Equal("no-store", page.Headers["Cache-Control"]);
            Assert.Equal("no-referrer", page.Headers["Referrer-Policy"]);
            Assert.Equal("text/html; charset=utf-8", page.Headers["Content-Type"]);
            var csp = page.Headers["Content-Security-Policy"];
            Assert.StartsWith("default-src 'none';", csp);
            Assert.DoesNotContain("script-src", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
        });
    }

    [Fact]
    public void Markup_in_the_finding_is_shown_as_text()
    {
        var record = Record(Summary(resource: "<script>alert(1)</script>", userAgent: "\"><img src=x onerror=alert(2)>"));

        var page = ApprovalPages.Confirmation(record, ApprovalDecision.Approve);

        Assert.DoesNotContain("<script>alert", page.Body);
        Assert.DoesNotContain("<img", page.Body);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page.Body);
    }

    [Fact]
    public void The_already_decided_page_says_who_decided_from_where_and_when()
    {
        var decided = Record() with
        {
            Status = ApprovalStatus.Approved, DecidedBy = "Alice <ops>", DecidedFromIp = "203.0.113.9", DecidedAt = Noon.AddMinutes(5),
        };

        var page = ApprovalPages.AlreadyDecided(decided);

        Assert.Equal(409, page.StatusCode);
        Assert.Contains("already approved by Alice &lt;ops&gt; (from 203.0.113.9) at 2026-11-24 12:05:00 UTC", page.Body);
    }

    [Fact]
    public void An_http_api_event_becomes_a_callback_request_with_the_posted_name()
    {
        const string json = """
            {"version":"2.0","routeKey":"POST /approvals/{id}","rawPath":"/approvals/Zx8kQ2mN4pR6tV8wY0aB1c","rawQueryString":"d=approve&exp=1&sig=s",
             "headers":{"content-type":"application/x-www-form-urlencoded"},
             "queryStringParameters":{"d":"approve","exp":"1","sig":"s"},"pathParameters":{"id":"Zx8kQ2mN4pR6tV8wY0aB1c"},
             "requestContext":{"http":{"method":"POST","path":"/approvals/Zx8kQ2mN4pR6tV8wY0aB1c","sourceIp":"203.0.113.9","userAgent":"Mozilla/5.0"}},
             "body":"ZGVjaWRlZEJ5PUFsaWNlK0IuJTI2Q28=","isBase64Encoded":true}
            """;

        var request = JsonSerializer.Deserialize(json, ApprovalJson.Default.HttpApiRequest)!.ToCallbackRequest();

        Assert.Equal("POST", request.Method);
        Assert.Equal("Zx8kQ2mN4pR6tV8wY0aB1c", request.ApprovalId);
        Assert.Equal("approve", request.Query["d"]);
        Assert.Equal("Alice B.&Co", request.Form[ApprovalPages.DecidedByField]);
        Assert.Equal("203.0.113.9", request.SourceIp);
        Assert.Equal("Mozilla/5.0", request.UserAgent);
    }

    [Fact]
    public void A_callback_response_becomes_an_http_api_response()
    {
        var json = JsonSerializer.Serialize(HttpApiResponse.From(ApprovalPages.NotFound()), ApprovalJson.Default.HttpApiResponse);

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(404, doc.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("no-store", doc.RootElement.GetProperty("headers").GetProperty("Cache-Control").GetString());
        Assert.False(doc.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Contains("Unknown approval", doc.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public void An_sqs_batch_response_reports_failed_message_ids()
    {
        var response = new SqsBatchResponse { BatchItemFailures = [new SqsBatchItemFailure("m-2")] };

        var json = JsonSerializer.Serialize(response, ApprovalJson.Default.SqsBatchResponse);

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"m-2"}]}""", json);
    }

    [Fact]
    public void The_execution_input_reads_the_guards_json_with_the_finding_kept_as_is()
    {
        const string json = """
            {"finding":{"id":"ev-1:public-ssh","rules":[{"port":22}]},"guardFunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:g",
             "timeoutSeconds":86400,"timeoutMeans":"approve",
             "approvalSummary":{"risk":"public-ssh","resource":"sg-1","actor":"arn:a","summary":"s","costPerHour":1.5}}
            """;

        var input = JsonSerializer.Deserialize(json, ApprovalJson.Default.ApprovalExecutionInput)!;

        Assert.Equal(TimeoutMeans.Approve, input.TimeoutMeans);
        Assert.Equal(1.5m, input.ApprovalSummary.CostPerHour);
        Assert.Equal(22, input.Finding.GetProperty("rules")[0].GetProperty("port").GetInt32());
        Assert.Contains("\"timeoutMeans\":\"approve\"", JsonSerializer.Serialize(input, ApprovalJson.Default.ApprovalExecutionInput));
    }
}
