using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>An SQS queue the tests read what SNS and Step Functions sent from.</summary>
public sealed class QueueInbox(IAmazonSQS sqs, string url, string arn)
{
    public string Url { get; } = url;

    public string Arn { get; } = arn;

    public static async Task<QueueInbox> CreateAsync(IAmazonSQS sqs, string name)
    {
        var url = (await sqs.CreateQueueAsync(name)).QueueUrl;
        var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["QueueArn"] });
        return new QueueInbox(sqs, url, attributes.QueueARN);
    }

    /// <summary>The next message body, waiting up to <paramref name="timeout"/> for it.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = Url, MaxNumberOfMessages = 1, WaitTimeSeconds = 1 });
            if (received.Messages is [var message, ..])
            {
                await sqs.DeleteMessageAsync(Url, message.ReceiptHandle);
                return message.Body;
            }
        }
        throw new TimeoutException($"nothing arrived in {Url}");
    }

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        using var document = JsonDocument.Parse(await ReceiveAsync(timeout));
        return document.RootElement.Clone();
    }
}
