using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DuoQServerless.IntegrationTests.GitLab;

/// <summary>What the fake GitLab answers; each spec changes one thing.</summary>
internal sealed class FakeGitLabState
{
    public const string Token = "glpat-AdminTokenForTests-9f8e7d";
    public const string Uuid = "1f0e5c6a-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

    public string Version { get; set; } = "17.11.2-ee";
    public List<string> ApplicationNames { get; } = ["Jenkins", "Amazon Q OAuth"];
    public string? AmazonQUserState { get; set; } = "active";
    public string CloudConnectorStatus { get; set; } = PassingStatus;
    public string? ServicePingUuid { get; set; } = Uuid;

    public const string PassingStatus = """
        {"success": true, "probeResults": [
          {"name": "license_probe", "success": true, "message": "Subscription can be synchronized."},
          {"name": "host_probe", "success": true, "message": "cloud.gitlab.com reachable."},
          {"name": "end_to_end_probe", "success": true, "message": "Amazon Q successfully received the callback request from your GitLab instance."},
          {"name": "end_to_end_probe", "success": true, "message": "Credentials stored in Amazon Q are valid and functioning correctly."}]}
        """;
}

/// <summary>
/// A GitLab stand-in on 127.0.0.1 over HTTPS (Kestrel), answering the documented shapes of
/// /api/v4/version, /api/v4/applications (paginated with X-Next-Page), /api/v4/users,
/// /api/v4/usage_data/service_ping and the GraphQL cloudConnectorStatus query. It refuses
/// requests without the admin token and records every request it receives.
/// </summary>
internal sealed class FakeGitLab : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGitLab(WebApplication app, Uri url, FakeGitLabState state)
    {
        _app = app;
        Url = url;
        State = state;
    }

    public Uri Url { get; }
    public FakeGitLabState State { get; }
    public ConcurrentQueue<(string Path, bool HadToken)> Requests { get; } = new();

    public static async Task<FakeGitLab> StartAsync(X509Certificate2 certificate, FakeGitLabState? state = null)
    {
        state ??= new FakeGitLabState();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        FakeGitLab? self = null;

        // One terminal delegate routes by path: minimal-API handlers use reflection, which the
        // solution's AOT analyzers refuse.
        app.Run(async context =>
        {
            var request = context.Request;
            var rest = request.Headers["PRIVATE-TOKEN"].ToString() == FakeGitLabState.Token;
            var bearer = request.Headers.Authorization.ToString() == $"Bearer {FakeGitLabState.Token}";
            self!.Requests.Enqueue((request.Path + request.QueryString, rest || bearer));
            var isGraphQl = request.Path == "/api/graphql";
            if (!(isGraphQl ? bearer : rest))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await Write(context, isGraphQl ? """{"errors":[{"message":"Invalid token"}]}""" : """{"message":"401 Unauthorized"}""");
                return;
            }

            switch (request.Method, request.Path.Value)
            {
                case ("GET", "/api/v4/version"):
                    await Write(context, new JsonObject { ["version"] = state.Version, ["revision"] = "6d5b3c1a", ["enterprise"] = true });
                    break;
                case ("GET", "/api/v4/applications"):
                    await Applications(context, state);
                    break;
                case ("GET", "/api/v4/users"):
                    var users = new JsonArray();
                    if (request.Query["username"] == "amazon-q" && state.AmazonQUserState is { } userState)
                        users.Add((JsonNode)new JsonObject { ["id"] = 42, ["username"] = "amazon-q", ["name"] = "Amazon Q Service", ["state"] = userState, ["locked"] = false, ["bot"] = true });
                    await Write(context, users);
                    break;
                case ("GET", "/api/v4/usage_data/service_ping"):
                    if (state.ServicePingUuid is { } uuid)
                    {
                        await Write(context, new JsonObject
                        {
                            ["recorded_at"] = "2025-05-26T00:00:00.000Z",
                            ["uuid"] = uuid,
                            ["hostname"] = "gitlab.example.com",
                            ["version"] = state.Version,
                            ["installation_type"] = "omnibus-gitlab",
                            ["license"] = new JsonObject(),
                            ["counts"] = new JsonObject { ["ci_builds"] = 463 },
                        });
                    }
                    break;
                case ("POST", "/api/graphql"):
                    var body = await JsonNode.ParseAsync(request.Body);
                    var query = body?["query"]?.GetValue<string>() ?? "";
                    await Write(context, query.Contains("cloudConnectorStatus { success probeResults { name success message } }", StringComparison.Ordinal)
                        ? """{"data":{"cloudConnectorStatus":""" + state.CloudConnectorStatus + "}}"
                        : """{"errors":[{"message":"unexpected query"}]}""");
                    break;
                default:
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    await Write(context, """{"message":"404 Not Found"}""");
                    break;
            }
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self = new FakeGitLab(app, new Uri(address), state);
        return self;
    }

    private static Task Applications(HttpContext context, FakeGitLabState state)
    {
        var query = context.Request.Query;
        var size = int.TryParse(query["per_page"], out var perPage) ? perPage : 20;
        var current = int.TryParse(query["page"], out var page) ? page : 1;
        var all = state.ApplicationNames.Select((name, i) => (JsonNode)new JsonObject
        {
            ["id"] = i + 1,
            ["application_id"] = $"{i + 1:x64}",
            ["application_name"] = name,
            ["callback_url"] = $"https://127.0.0.1/callback/{i + 1}",
            ["confidential"] = true,
        }).ToArray();
        context.Response.Headers["X-Next-Page"] = current * size < all.Length ? (current + 1).ToString() : "";
        return Write(context, new JsonArray(all.Skip((current - 1) * size).Take(size).ToArray()));
    }

    private static Task Write(HttpContext context, JsonNode node) => Write(context, node.ToJsonString());

    private static Task Write(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
