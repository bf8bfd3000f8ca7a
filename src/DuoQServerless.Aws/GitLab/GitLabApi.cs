using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Aws.GitLab;

/// <summary>
/// The GitLab REST and GraphQL calls the validator makes, each turned into an observation.
/// REST authenticates with the PRIVATE-TOKEN header, GraphQL with "Authorization: Bearer", as
/// GitLab documents. Redirects are not followed, so the token goes to the given host only.
/// </summary>
internal sealed class GitLabApi(HttpClient http, Uri baseUrl, GitLabAdminToken token)
{
    private const int MaxApplicationPages = 50;
    private const string CloudConnectorQuery = "query { cloudConnectorStatus { success probeResults { name success message } } }";

    public Task<Observation<string>> VersionAsync(CancellationToken ct) =>
        GetAsync("api/v4/version", ct, static json =>
            json.ValueKind == JsonValueKind.Object && json.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String
                ? Observe.Seen(v.GetString()!)
                : Observe.Absent<string>("GET /api/v4/version answered without a version"));

    public async Task<Observation<IReadOnlyList<GitLabApplication>>> ApplicationsAsync(CancellationToken ct)
    {
        var applications = new List<GitLabApplication>();
        for (var page = 1; page <= MaxApplicationPages; page++)
        {
            var (answer, nextPage) = await SendAsync(Get($"api/v4/applications?per_page=100&page={page}"), ct);
            if (answer is Failure failure) return Observe.Unavailable<IReadOnlyList<GitLabApplication>>(failure.Error);
            var json = ((Success)answer).Json;
            if (json.ValueKind != JsonValueKind.Array)
                return Observe.Unavailable<IReadOnlyList<GitLabApplication>>("GET /api/v4/applications did not answer a list");
            applications.AddRange(json.EnumerateArray().Select(a => new GitLabApplication(
                Number(a, "id"),
                Text(a, "application_name") ?? "",
                Text(a, "callback_url"),
                a.TryGetProperty("confidential", out var c) && c.ValueKind == JsonValueKind.True)));
            if (string.IsNullOrEmpty(nextPage)) break;
        }
        return Observe.Seen<IReadOnlyList<GitLabApplication>>(applications);
    }

    public Task<Observation<GitLabUser>> UserAsync(string username, CancellationToken ct) =>
        GetAsync($"api/v4/users?username={Uri.EscapeDataString(username)}", ct, json =>
        {
            var user = json.ValueKind == JsonValueKind.Array
                ? json.EnumerateArray().FirstOrDefault(u => Text(u, "username") == username)
                : default;
            return user.ValueKind == JsonValueKind.Object
                ? Observe.Seen(new GitLabUser(
                    Number(user, "id"),
                    username,
                    Text(user, "name") ?? "",
                    Text(user, "state") ?? "unknown",
                    user.TryGetProperty("bot", out var bot) && bot.ValueKind is JsonValueKind.True or JsonValueKind.False ? bot.ValueKind == JsonValueKind.True : null))
                : Observe.Absent<GitLabUser>($"GET /api/v4/users?username={username} found no such user");
        });

    public async Task<Observation<CloudConnectorStatus>> CloudConnectorStatusAsync(CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "api/graphql"))
        {
            Content = new StringContent(GraphQlBody(CloudConnectorQuery), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var (answer, _) = await SendAsync(request, ct, authenticate: false);
        if (answer is Failure failure) return Observe.Unavailable<CloudConnectorStatus>(failure.Error);
        var json = ((Success)answer).Json;

        if (json.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("cloudConnectorStatus", out var status) && status.ValueKind == JsonValueKind.Object)
        {
            var probes = status.TryGetProperty("probeResults", out var results) && results.ValueKind == JsonValueKind.Array
                ? results.EnumerateArray().Select(p => new CloudConnectorProbe(
                    Text(p, "name") ?? "(unnamed)",
                    p.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True,
                    // A probe's message is GitLab's text: it may quote what it was sent.
                    token.ScrubOptional(Text(p, "message")))).ToArray()
                : [];
            bool? success = status.TryGetProperty("success", out var ok) && ok.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? ok.ValueKind == JsonValueKind.True
                : null;
            return Observe.Seen(new CloudConnectorStatus(success, probes));
        }

        var errors = json.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().Select(x => Text(x, "message")).OfType<string>().ToArray()
            : [];
        // GitLab answers null (or, on versions without the field, a schema error) where it does not offer the probes.
        if (errors.Length == 0 || errors.Any(m => m.Contains("cloudConnectorStatus", StringComparison.Ordinal)))
        {
            var why = errors.Length == 0
                ? "GitLab answered null for cloudConnectorStatus (not offered on this instance)"
                : $"GitLab's GraphQL API has no cloudConnectorStatus: {string.Join("; ", errors)}";
            return Observe.Absent<CloudConnectorStatus>(why);
        }
        return Observe.Unavailable<CloudConnectorStatus>(token.Scrub($"POST /api/graphql answered errors: {string.Join("; ", errors)}"));
    }

    public async Task<Observation<string>> ServicePingUuidAsync(CancellationToken ct)
    {
        var (answer, _) = await SendAsync(Get("api/v4/usage_data/service_ping"), ct, allowEmpty: true);
        return answer switch
        {
            Failure failure => Observe.Unavailable<string>(failure.Error),
            Success { Json.ValueKind: JsonValueKind.Undefined } =>
                Observe.Absent<string>("GitLab has no Service Ping payload yet (Service Ping off, or its weekly job has not run)"),
            Success { Json: var json } when json.ValueKind == JsonValueKind.Object && Text(json, "uuid") is { Length: > 0 } uuid =>
                Observe.Seen(uuid),
            Success => Observe.Absent<string>("the Service Ping payload carries no uuid"),
            _ => throw new System.Diagnostics.UnreachableException(),
        };
    }

    private async Task<Observation<T>> GetAsync<T>(string path, CancellationToken ct, Func<JsonElement, Observation<T>> read)
    {
        var (answer, _) = await SendAsync(Get(path), ct);
        return answer switch
        {
            Failure failure => Observe.Unavailable<T>(failure.Error),
            Success success => read(success.Json),
            _ => throw new System.Diagnostics.UnreachableException(),
        };
    }

    private HttpRequestMessage Get(string path) => new(HttpMethod.Get, new Uri(baseUrl, path));

    private abstract record Answer;

    private sealed record Success(JsonElement Json) : Answer;

    private sealed record Failure(string Error) : Answer;

    private async Task<(Answer Answer, string? NextPage)> SendAsync(HttpRequestMessage request, CancellationToken ct, bool authenticate = true, bool allowEmpty = false)
    {
        using (request)
        {
            if (authenticate) request.Headers.Add("PRIVATE-TOKEN", token.Value);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var what = $"{request.Method} /{request.RequestUri!.PathAndQuery.TrimStart('/')}";
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if ((int)response.StatusCode is >= 300 and < 400)
                    return (new Failure($"{what} answered {(int)response.StatusCode} redirecting to {response.Headers.Location}; redirects are not followed with the admin token: give the final GitLab URL"), null);
                if (!response.IsSuccessStatusCode)
                    return (new Failure(token.Scrub($"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}{ErrorMessage(body)}")), null);
                var nextPage = response.Headers.TryGetValues("X-Next-Page", out var values) ? values.FirstOrDefault() : null;
                if (string.IsNullOrWhiteSpace(body))
                    return (allowEmpty ? new Success(default) : new Failure($"{what} answered an empty body"), nextPage);
                using var document = JsonDocument.Parse(body);
                return (new Success(document.RootElement.Clone()), nextPage);
            }
            // Each is an answer about the server or the network, reported as evidence.
            catch (HttpRequestException e)
            {
                return (new Failure(token.Scrub($"{what} failed: {e.Message}")), null);
            }
            catch (JsonException)
            {
                return (new Failure($"{what} answered something that is not JSON"), null);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return (new Failure($"{what} timed out after {http.Timeout.TotalSeconds:0} s"), null);
            }
        }
    }

    private static string ErrorMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var message = root.ValueKind == JsonValueKind.Object
                ? Text(root, "message") ?? Text(root, "error") ?? (root.TryGetProperty("message", out var m) ? m.GetRawText() : null)
                : null;
            return message is null ? "" : $": {Truncate(message)}";
        }
        // An HTML error page from a proxy is not JSON: its status line says enough.
        catch (JsonException)
        {
            return "";
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static string? Text(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Number(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    private static string GraphQlBody(string query)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("query", query);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

}
