namespace DuoQServerless.Aws.Sns;

/// <summary>
/// A message attribute: <c>String</c>, <c>Number</c> (sent as its string form) or <c>Binary</c>;
/// a data type may carry a custom suffix (<c>String.Risk</c>).
/// </summary>
public sealed record SnsMessageAttribute(string DataType, string? StringValue, byte[]? BinaryValue)
{
    public static SnsMessageAttribute String(string value) => new("String", value, null);

    public static SnsMessageAttribute Number(decimal value) =>
        new("Number", value.ToString(System.Globalization.CultureInfo.InvariantCulture), null);

    public static SnsMessageAttribute Binary(byte[] value) => new("Binary", null, value);
}

/// <summary>A message to a topic. <see cref="Subject"/> is the e-mail subject line (ASCII printable, up to 100 characters, per SNS).</summary>
public sealed record PublishRequest(string TopicArn, string Message)
{
    public string? Subject { get; init; }

    public IReadOnlyDictionary<string, SnsMessageAttribute>? MessageAttributes { get; init; }

    /// <summary>FIFO topics only.</summary>
    public string? MessageGroupId { get; init; }

    /// <summary>FIFO topics only, unless content-based deduplication is on.</summary>
    public string? MessageDeduplicationId { get; init; }
}

public sealed record PublishResponse(string MessageId, string? SequenceNumber);

public sealed record CreateTopicRequest(string Name)
{
    /// <summary>Topic attributes, e.g. <c>FifoTopic</c>, <c>KmsMasterKeyId</c>.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}

/// <param name="Protocol"><c>email</c>, <c>sqs</c>, <c>lambda</c>, <c>https</c>...</param>
public sealed record SubscribeRequest(string TopicArn, string Protocol, string Endpoint)
{
    /// <summary>Subscription attributes, e.g. <c>RawMessageDelivery</c>, <c>FilterPolicy</c>.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}
