using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Sns;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Clients;

public sealed class SnsSpecs(MotoFixture moto) : ClientSpec(moto)
{
    [Fact]
    public async Task CreateTopic_returns_the_topic_arn_and_the_same_arn_for_the_same_name()
    {
        var first = await Aws.Sns.CreateTopicAsync(new CreateTopicRequest("duoq-alerts"));
        var again = await Aws.Sns.CreateTopicAsync(new CreateTopicRequest("duoq-alerts"));

        Assert.Equal($"arn:aws:sns:us-east-1:{TestCredentials.AccountId}:duoq-alerts", first);
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Publish_delivers_subject_message_and_attributes_unchanged_to_a_subscribed_queue()
    {
        var topic = await Aws.Sns.CreateTopicAsync(new CreateTopicRequest("duoq-alerts"));
        var inbox = await QueueInbox.CreateAsync(Aws.Sqs, "alerts-inbox");
        var subscription = await Aws.Sns.SubscribeAsync(new SubscribeRequest(topic, "sqs", inbox.Arn));
        const string message = "Agent role+1 deleted db \"orders\" & turned off protection = risk.\nÉquipe: sécurité 東京 100%\n";

        var published = await Aws.Sns.PublishAsync(new PublishRequest(topic, message)
        {
            Subject = "Approval needed: DeleteDBInstance on orders+1",
            MessageAttributes = new Dictionary<string, SnsMessageAttribute>
            {
                ["risk"] = SnsMessageAttribute.String("rds delete"),
                ["severity score"] = SnsMessageAttribute.Number(9.5m),
            },
        });

        var envelope = await inbox.ReceiveJsonAsync();
        Assert.StartsWith($"{topic}:", subscription);
        Assert.Equal("Notification", envelope.GetProperty("Type").GetString());
        Assert.Equal(published.MessageId, envelope.GetProperty("MessageId").GetString());
        Assert.Equal("Approval needed: DeleteDBInstance on orders+1", envelope.GetProperty("Subject").GetString());
        Assert.Equal(message, envelope.GetProperty("Message").GetString());
        var attributes = envelope.GetProperty("MessageAttributes");
        Assert.Equal(("String", "rds delete"), (attributes.GetProperty("risk").GetProperty("Type").GetString(), attributes.GetProperty("risk").GetProperty("Value").GetString()));
        Assert.Equal(("Number", "9.5"), (attributes.GetProperty("severity score").GetProperty("Type").GetString(), attributes.GetProperty("severity score").GetProperty("Value").GetString()));
    }

    [Fact]
    public async Task Subscribe_with_raw_delivery_sends_the_bare_message()
    {
        var topic = await Aws.Sns.CreateTopicAsync(new CreateTopicRequest("duoq-raw"));
        var inbox = await QueueInbox.CreateAsync(Aws.Sqs, "raw-inbox");
        await Aws.Sns.SubscribeAsync(new SubscribeRequest(topic, "sqs", inbox.Arn)
        {
            Attributes = new Dictionary<string, string> { ["RawMessageDelivery"] = "true" },
        });

        await Aws.Sns.PublishAsync(new PublishRequest(topic, """{"finding":"ssh open to 0.0.0.0/0"}"""));

        Assert.Equal("""{"finding":"ssh open to 0.0.0.0/0"}""", await inbox.ReceiveAsync());
    }

    [Fact]
    public async Task Publishing_to_a_topic_that_does_not_exist_is_NotFound()
    {
        var error = await Assert.ThrowsAsync<AwsApiException>(() =>
            Aws.Sns.PublishAsync(new PublishRequest($"arn:aws:sns:us-east-1:{TestCredentials.AccountId}:gone", "hello")));

        Assert.Equal(AwsErrorCodes.NotFound, error.ErrorCode);
        Assert.Equal("sns:Publish", error.Action);
    }
}
