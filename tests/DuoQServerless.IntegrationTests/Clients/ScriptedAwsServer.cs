using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 that gives the answers it was scripted with, in order, and
/// keeps every request it received: for what moto cannot be made to do (throttle on demand)
/// or does not show (the bytes on the wire).
/// </summary>
public sealed class ScriptedAwsServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Answer> _answers;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly Task _loop;

    private ScriptedAwsServer(IEnumerable<Answer> answers)
    {
        _answers = new ConcurrentQueue<Answer>(answers);
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
    }

    public Uri Endpoint { get; }

    public IReadOnlyList<ReceivedRequest> Received => _received.ToArray();

    public static ScriptedAwsServer Start(params Answer[] answers) => new(answers);

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
            _received.Enqueue(new ReceivedRequest(context.Request.HttpMethod, headers, body.ToArray()));

            var answer = _answers.TryDequeue(out var next) ? next : new Answer(HttpStatusCode.NotImplemented, "text/plain", "script exhausted");
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = (int)answer.Status;
            context.Response.ContentType = answer.ContentType;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
