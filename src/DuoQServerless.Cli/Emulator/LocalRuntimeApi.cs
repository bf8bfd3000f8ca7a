using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Cli.Emulator;

/// <summary>An invocation handed to the runtime; a null deadline leaves the header out.</summary>
public sealed record LocalInvocation(string RequestId, string Event, DateTimeOffset? Deadline, string? TraceId = null,
    string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:duoq-ping");

public enum PostKind
{
    Response,
    Error,
    InitError,
}

/// <summary>What the runtime posted back: kind, request id (none for init errors), body and error-type header.</summary>
public sealed record Posted(PostKind Kind, string? RequestId, string Body, string? ErrorTypeHeader)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// The Lambda Runtime API served on 127.0.0.1, for `duoq demo`, benchmarks and tests: hands out
/// queued invocations on invocation/next (waiting like Lambda when there are none) and records
/// every post.
/// Once disposed it refuses connections, which is how a runtime sees the API go away.
/// </summary>
public sealed class LocalRuntimeApi : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime/";
    private readonly HttpListener _listener;
    private readonly Channel<LocalInvocation> _queue = Channel.CreateUnbounded<LocalInvocation>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Posted> _posts = [];
    private readonly Task _serving;
    private readonly List<Task> _answering = [];
    private int _disposed;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextRequests;

    private LocalRuntimeApi(HttpListener listener, int port)
    {
        _listener = listener;
        Address = $"127.0.0.1:{port}";
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The value for AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address { get; }

    /// <summary>How many times invocation/next was called.</summary>
    public int NextRequests => Volatile.Read(ref _nextRequests);

    public IReadOnlyList<Posted> Posts
    {
        get { lock (_posts) return _posts.ToList(); }
    }

    public static LocalRuntimeApi Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LocalRuntimeApi(listener, port);
            }
            // Another process took the port between probing and binding: try another one.
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public void Enqueue(LocalInvocation invocation) => _queue.Writer.TryWrite(invocation);

    /// <summary>The response or error posted for this request id.</summary>
    public Task<Posted> ResultOfAsync(string requestId, TimeSpan? timeout = null) =>
        WaitForAsync(p => p.RequestId == requestId && p.Kind != PostKind.InitError, timeout);

    public Task<Posted> InitErrorAsync(TimeSpan? timeout = null) => WaitForAsync(p => p.Kind == PostKind.InitError, timeout);

    public async Task<Posted> WaitForAsync(Func<Posted, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_posts)
            {
                if (_posts.FirstOrDefault(match) is { } found) return found;
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
                throw new TimeoutException($"Nothing matching was posted; posts so far: {string.Join("; ", Posts)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        // Let waiting long-polls end before the listener goes, so no answering task outlives the test.
        // (HttpListener answers them with an empty 200 either way: it cannot reset a connection.)
        Task[] answering;
        lock (_answering) answering = _answering.ToArray();
        await Task.WhenAll(answering);
        _listener.Abort();
        try
        {
            await _serving;
        }
        // Abort makes the pending GetContextAsync throw; that is the end of serving, not a failure.
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }
        _stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync();
            lock (_answering)
            {
                _answering.RemoveAll(t => t.IsCompleted);
                _answering.Add(Task.Run(() => AnswerAsync(context)));
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        try
        {
            if (context.Request.HttpMethod == "GET" && path == Prefix + "invocation/next")
                await HandOutNextAsync(context.Response);
            else if (context.Request.HttpMethod == "POST" && path.StartsWith(Prefix, StringComparison.Ordinal))
                await RecordAsync(context, path[Prefix.Length..]);
            else
                Answer(context.Response, 404);
        }
        // The test is over (API disposed) while a long-poll waited, or the runtime hung up.
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            context.Response.Abort();
        }
    }

    private async Task HandOutNextAsync(HttpListenerResponse response)
    {
        Interlocked.Increment(ref _nextRequests);
        var invocation = await _queue.Reader.ReadAsync(_stopping.Token);
        response.AddHeader(RuntimeApiClient.RequestIdHeader, invocation.RequestId);
        if (invocation.Deadline is { } deadline)
            response.AddHeader(RuntimeApiClient.DeadlineHeader, deadline.ToUnixTimeMilliseconds().ToString());
        response.AddHeader(RuntimeApiClient.FunctionArnHeader, invocation.FunctionArn);
        if (invocation.TraceId is not null) response.AddHeader(RuntimeApiClient.TraceIdHeader, invocation.TraceId);
        var body = Encoding.UTF8.GetBytes(invocation.Event);
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body, _stopping.Token);
        response.Close();
    }

    private async Task RecordAsync(HttpListenerContext context, string path)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var errorType = context.Request.Headers[RuntimeApiClient.ErrorTypeHeader];
        var segments = path.Split('/');
        Posted? posted = segments switch
        {
            ["init", "error"] => new Posted(PostKind.InitError, null, body, errorType),
            ["invocation", var id, "response"] => new Posted(PostKind.Response, Uri.UnescapeDataString(id), body, errorType),
            ["invocation", var id, "error"] => new Posted(PostKind.Error, Uri.UnescapeDataString(id), body, errorType),
            _ => null,
        };
        if (posted is null)
        {
            Answer(context.Response, 404);
            return;
        }
        lock (_posts)
        {
            _posts.Add(posted);
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        Answer(context.Response, 202);
    }

    private static void Answer(HttpListenerResponse response, int status)
    {
        response.StatusCode = status;
        response.ContentLength64 = 0;
        response.Close();
    }
}
