using System.Text.Json.Nodes;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Tests.Guards;

namespace DuoQServerless.Tests.CloudTrail;

public class CloudTrailParsing
{
    private static JsonObject Sample() => JsonNode.Parse(EventsFolder.Read("ssh/risky-authorize-ipv4-22.json"))!.AsObject();

    private static ParseOutcome.Invalid Invalid(JsonNode json) => Assert.IsType<ParseOutcome.Invalid>(CloudTrailParser.Parse(json.ToJsonString()));

    [Fact]
    public void An_eventbridge_event_gives_the_record_with_its_actor_and_envelope()
    {
        var record = Assert.IsType<ParseOutcome.Parsed>(CloudTrailParser.Parse(Sample().ToJsonString())).Record;
        Assert.Equal("AuthorizeSecurityGroupIngress", record.EventName);
        Assert.Equal("ec2.amazonaws.com", record.EventSource);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 0, 37, TimeSpan.Zero), record.EventTime);
        Assert.Equal("arn:aws:iam::123456789012:role/QDeveloperAccess", record.UserIdentity.SessionIssuerArn);
        Assert.Equal("203.0.113.41", record.SourceIpAddress);
        Assert.Equal("123456789012", record.AccountId);
        Assert.Equal("aws.ec2", record.Envelope!.Source);
        Assert.False(record.Failed);
        Assert.Equal("sg-0f3a9c2d7b1e45a01", record.RequestParameters.Str("groupId"));
    }

    [Fact]
    public void A_bare_cloudtrail_record_is_accepted_for_replay()
    {
        var detail = Sample()["detail"]!.DeepClone();
        var record = Assert.IsType<ParseOutcome.Parsed>(CloudTrailParser.Parse(detail.ToJsonString())).Record;
        Assert.Null(record.Envelope);
        Assert.Equal("AuthorizeSecurityGroupIngress", record.EventName);
    }

    [Theory]
    [InlineData("eventID")]
    [InlineData("eventTime")]
    [InlineData("eventSource")]
    [InlineData("eventName")]
    [InlineData("awsRegion")]
    [InlineData("userIdentity")]
    public void A_missing_required_field_is_named(string field)
    {
        var json = Sample();
        json["detail"]!.AsObject().Remove(field);
        Assert.Equal("detail." + field, Invalid(json).Field);
    }

    [Fact]
    public void A_missing_identity_type_is_named_with_its_path()
    {
        var json = Sample();
        json["detail"]!["userIdentity"]!.AsObject().Remove("type");
        Assert.Equal("detail.userIdentity.type", Invalid(json).Field);
    }

    [Fact]
    public void A_bad_event_time_is_named()
    {
        var json = Sample();
        json["detail"]!["eventTime"] = "yesterday";
        Assert.Equal("detail.eventTime", Invalid(json).Field);
    }

    [Fact]
    public void Another_eventbridge_detail_type_is_refused_with_the_reason()
    {
        var json = Sample();
        json["detail-type"] = "EC2 Instance State-change Notification";
        var invalid = Invalid(json);
        Assert.Equal("detail-type", invalid.Field);
        Assert.Contains("AWS API Call via CloudTrail", invalid.Reason);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    public void Text_that_is_not_a_json_object_is_invalid_not_a_crash(string text) =>
        Assert.Equal("$", Assert.IsType<ParseOutcome.Invalid>(CloudTrailParser.Parse(text)).Field);

    [Fact]
    public void Unknown_fields_are_ignored_and_error_codes_mark_failed_calls()
    {
        var json = Sample();
        json["detail"]!["someFutureField"] = new JsonObject { ["x"] = 1 };
        json["detail"]!["errorCode"] = "Client.UnauthorizedOperation";
        var record = Assert.IsType<ParseOutcome.Parsed>(CloudTrailParser.Parse(json.ToJsonString())).Record;
        Assert.True(record.Failed);
        Assert.Equal("Client.UnauthorizedOperation", record.ErrorCode);
    }

    [Fact]
    public void A_record_outlives_the_text_it_was_read_from()
    {
        var record = Assert.IsType<ParseOutcome.Parsed>(CloudTrailParser.Parse(Sample().ToJsonString())).Record;
        GC.Collect();
        Assert.Single(record.RequestParameters.Items("ipPermissions"));
    }
}
