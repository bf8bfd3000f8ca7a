using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.Sns;

/// <summary>
/// The SNS operations the notifier (Publish) and the demo and tests (CreateTopic, Subscribe)
/// use, over the Query protocol (2010-03-31).
/// </summary>
public sealed class SnsClient
{
    internal SnsClient(QueryProtocolClient query) => Query = query;

    /// <summary>The underlying Query client, for actions without a typed operation (test and demo set-up).</summary>
    public QueryProtocolClient Query { get; }

    public async Task<PublishResponse> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("TopicArn", request.TopicArn)
            .Add("Message", request.Message)
            .Add("Subject", request.Subject)
            .AddEach("MessageAttributes.entry", request.MessageAttributes, static (query, entry, attribute) => query
                .Add($"{entry}.Name", attribute.Key)
                .Add($"{entry}.Value.DataType", attribute.Value.DataType)
                .Add($"{entry}.Value.StringValue", attribute.Value.StringValue)
                .Add($"{entry}.Value.BinaryValue", attribute.Value.BinaryValue is { } bytes ? Convert.ToBase64String(bytes) : null))
            .Add("MessageGroupId", request.MessageGroupId)
            .Add("MessageDeduplicationId", request.MessageDeduplicationId);
        var result = await Query.InvokeAsync("Publish", parameters, request, cancellationToken);
        return new PublishResponse(result.RequiredText("MessageId"), result.Text("SequenceNumber"));
    }

    /// <summary>Creates the topic, or returns the ARN of the existing topic of that name.</summary>
    public async Task<string> CreateTopicAsync(CreateTopicRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("Name", request.Name).AddMap("Attributes", request.Attributes);
        var result = await Query.InvokeAsync("CreateTopic", parameters, request, cancellationToken);
        return result.RequiredText("TopicArn");
    }

    /// <summary>Subscribes an endpoint; returns the subscription ARN (also while confirmation is pending).</summary>
    public async Task<string> SubscribeAsync(SubscribeRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("TopicArn", request.TopicArn)
            .Add("Protocol", request.Protocol)
            .Add("Endpoint", request.Endpoint)
            .AddMap("Attributes", request.Attributes)
            .Add("ReturnSubscriptionArn", true);
        var result = await Query.InvokeAsync("Subscribe", parameters, request, cancellationToken);
        return result.RequiredText("SubscriptionArn");
    }
}
