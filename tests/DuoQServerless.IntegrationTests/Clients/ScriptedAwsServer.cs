using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 that gives the answers it was scripted with, in order, and
/// keeps every request it received: for what moto cannot be made to do (throttle on demand)
/// or does not show (the bytes on the wire). Started <see cref="InFrontOf"/> an emulator it is a
/// fault-injecting proxy: it forwards every request, except that the requests a
/// <see cref="Fault"/> matches get the fault's answer, as many times as the fault says.
/// </summary>
public sealed class ScriptedAwsServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Answer> _answers;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly Task _loop;
    private readonly Uri? _upstream;
    private readonly HttpClient? _forward;
    private readonly Fault[] _faults;
    private readonly int[] _faultsGiven;

    private ScriptedAwsServer(IEnumerable<Answer> answers, Uri? upstream = null, Fault[]? faults = null)
    {
        _answers = new ConcurrentQueue<Answer>(answers);
        _upstream = upstream;
        _forward = upstream is null ? null : new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false });
        _faults = faults ?? [];
        _faultsGiven = new int[_faults.Length];
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public sealed record Answer(HttpStatusCode Status, string ContentType, string Body);

    public sealed record ReceivedRequest(string Method, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);

        public string PathAndQuery { get; init; } = "/";

        /// <summary>The fault's answer was given instead of forwarding.</summary>
        public bool Faulted { get; init; }

        /// <summary>The API operation: the Query protocol's <c>Action</c>, or the JSON protocols' <c>X-Amz-Target</c> after its dot.</summary>
        public string? Action =>
            Headers.TryGetValue("X-Amz-Target", out var target) ? target[(target.LastIndexOf('.') + 1)..]
            : System.Web.HttpUtility.ParseQueryString(Text)["Action"] ?? System.Web.HttpUtility.ParseQueryString(PathAndQuery.Split('?').ElementAtOrDefault(1) ?? "")["Action"];
    }

    /// <summary>Answers the first <paramref name="Times"/> requests for <paramref name="Action"/> with <paramref name="Answer"/>.</summary>
    public sealed record Fault(string Action, Answer Answer, int Times);

    public Uri Endpoint { get; }

    public IReadOnlyList<ReceivedRequest> Received => _received.ToArray();

    public static ScriptedAwsServer Start(params Answer[] answers) => new(answers);

    /// <summary>A proxy to <paramref name="upstream"/> that answers with <paramref name="faults"/> where they match.</summary>
    public static ScriptedAwsServer InFrontOf(Uri upstream, params Fault[] faults) => new([], upstream, faults);

    /// <summary>The requests for one operation, faulted or forwarded, in order.</summary>
    public IReadOnlyList<ReceivedRequest> Calls(string action) => Received.Where(r => r.Action == action).ToList();

    /// <summary>EC2's error shape (EC2 answers in its own XML, not the Query protocol's ErrorResponse).</summary>
    public static Answer Ec2Error(HttpStatusCode status, string code) => Xml(status, $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Response><Errors><Error><Code>{code}</Code><Message>scripted {code}</Message></Error></Errors><RequestID>req-{code}</RequestID></Response>
        """);

    /// <summary>DynamoDB's error shape.</summary>
    public static Answer DynamoDbError(HttpStatusCode status, string code) =>
        Json(status, $$"""{"__type":"com.amazonaws.dynamodb.v20120810#{{code}}","message":"scripted {{code}}"}""");

    public static Answer Xml(HttpStatusCode status, string body) => new(status, "text/xml", body);

    public static Answer Json(HttpStatusCode status, string body) => new(status, "application/x-amz-json-1.0", body);

    public static Answer QueryError(HttpStatusCode status, string code) => Xml(status, $"""
        <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
          <Error><Type>Sender</Type><Code>{code}</Code><Message>scripted {code}</Message></Error>
          <RequestId>req-{code}</RequestId>
        </ErrorResponse>
        """);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
        _forward?.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            // Stop() ends the wait with one of these: the server is being disposed.
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.OfType<string>()
                .ToDictionary(k => k, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            var request = new ReceivedRequest(context.Request.HttpMethod, headers, body.ToArray()) { PathAndQuery = context.Request.RawUrl ?? "/" };
            var fault = _upstream is null ? null : TakeFault(request);
            if (_upstream is not null && fault is null)
            {
                _received.Enqueue(request);
                await ForwardAsync(request, context.Response);
                continue;
            }

            var answer = fault?.Answer ?? (_answers.TryDequeue(out var next) ? next : new Answer(HttpStatusCode.NotImplemented, "text/plain", "script exhausted"));
            _received.Enqueue(request with { Faulted = fault is not null });
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = (int)answer.Status;
            context.Response.ContentType = answer.ContentType;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    // Requests are served one at a time, so counting needs no lock.
    private Fault? TakeFault(ReceivedRequest request)
    {
        for (var i = 0; i < _faults.Length; i++)
        {
            if (_faults[i].Action != request.Action || _faultsGiven[i] >= _faults[i].Times) continue;
            _faultsGiven[i]++;
            return _faults[i];
        }
        return null;
    }

    // Hop-by-hop and framing headers: HttpClient and HttpListener set their own.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect", "Date", "Server",
    };

    private async Task ForwardAsync(ReceivedRequest request, HttpListenerResponse response)
    {
        using var outgoing = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_upstream!, request.PathAndQuery));
        if (request.Body.Length > 0 || request.Method is "POST" or "PUT") outgoing.Content = new ByteArrayContent(request.Body);
        foreach (var (name, value) in request.Headers)
        {
            if (NotForwarded.Contains(name)) continue;
            if (!outgoing.Headers.TryAddWithoutValidation(name, value)) outgoing.Content?.Headers.TryAddWithoutValidation(name, value);
        }
        HttpResponseMessage answer;
        try
        {
            answer = await _forward!.SendAsync(outgoing);
        }
        // The emulator behind is gone: answer as a load balancer would, and keep serving.
        catch (HttpRequestException e)
        {
            var error = Encoding.UTF8.GetBytes(e.Message);
            response.StatusCode = (int)HttpStatusCode.BadGateway;
            await response.OutputStream.WriteAsync(error);
            response.Close();
            return;
        }
        using var _ = answer;
        var bytes = await answer.Content.ReadAsByteArrayAsync();
        response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (NotForwarded.Contains(name)) continue;
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) response.ContentType = string.Join(",", values);
            else response.Headers.Add(name, string.Join(",", values));
        }
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
