using System.Text.Json;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Tests.Runtime;

/// <summary>The body Lambda shows as the function's error: one shape, never over 256 KB.</summary>
public sealed class ErrorReportSpecs
{
    [Fact]
    public void The_error_type_is_the_exceptions_type_name_and_the_stack_is_one_frame_per_entry()
    {
        var report = JsonDocument.Parse(ErrorReport.From(Throw(() => throw new InvalidEventException("not a CloudTrail event"))).ToJson()).RootElement;

        Assert.Equal(["errorMessage", "errorType", "stackTrace"], report.EnumerateObject().Select(p => p.Name));
        Assert.Equal("InvalidEventException", report.GetProperty("errorType").GetString());
        Assert.Equal("not a CloudTrail event", report.GetProperty("errorMessage").GetString());
        Assert.All(report.GetProperty("stackTrace").EnumerateArray(), f => Assert.StartsWith("at ", f.GetString()));
        Assert.Contains(report.GetProperty("stackTrace").EnumerateArray(), f => f.GetString()!.Contains(nameof(Throw)));
    }

    [Fact]
    public void Inner_exceptions_are_listed_as_causes_after_the_outer_stack()
    {
        var error = Throw(() => throw new InvalidOperationException("revert failed", new TimeoutException("EC2 did not answer")));

        var stack = ErrorReport.From(error).StackTrace;

        Assert.Contains("--- caused by TimeoutException: EC2 did not answer", stack);
    }

    [Fact]
    public void A_report_over_256_KB_is_replaced_by_a_fixed_one_that_keeps_the_type()
    {
        var huge = new ErrorReport("PolicyException", new string('x', 300 * 1024), []);

        var body = huge.ToJson();
        var report = JsonDocument.Parse(body).RootElement;

        Assert.True(body.Length <= ErrorReport.MaxBodyBytes);
        Assert.Equal("PolicyException", report.GetProperty("errorType").GetString());
        Assert.Equal(ErrorReport.TooLargeMessage, report.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public void A_report_just_under_256_KB_is_sent_whole()
    {
        var message = new string('x', ErrorReport.MaxBodyBytes - 100);

        var report = JsonDocument.Parse(new ErrorReport("E", message, []).ToJson()).RootElement;

        Assert.Equal(message, report.GetProperty("errorMessage").GetString());
    }

    private static Exception Throw(Action action)
    {
        try
        {
            action();
        }
        // The point is the thrown exception, with its stack trace.
        catch (Exception e)
        {
            return e;
        }
        throw new InvalidOperationException("nothing was thrown");
    }
}
