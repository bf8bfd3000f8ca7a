using DuoQServerless.Core.Validation;
using static DuoQServerless.Tests.Validation.CorrectSetup;

namespace DuoQServerless.Tests.Validation;

/// <summary>When the scheduled validator notifies: a new problem, or back to healthy; not on every run.</summary>
public sealed class ValidationChangeSpecs
{
    private static readonly ValidationReport Healthy = Validate(Facts());
    private static readonly ValidationReport ShortSession = Validate(Facts() with { Role = Observe.Seen(Role(maxSession: 3600)) });
    private static readonly ValidationReport ShortSessionAndDisabledKey = Validate(Facts() with
    {
        Role = Observe.Seen(Role(maxSession: 3600)),
        KmsKey = Observe.Seen(Key(enabled: false, state: "Disabled")),
    });

    [Fact]
    public void A_new_failure_is_notified_and_named()
    {
        var change = ValidationChange.Between(Healthy, ShortSession);

        Assert.Equal(ChangeKind.NewProblems, change.Kind);
        Assert.True(change.ShouldNotify);
        Assert.Equal([DuoQChecks.SessionDuration.Id], change.Worsened.Select(c => c.Id));
    }

    [Fact]
    public void The_same_failure_again_is_not_notified()
    {
        var change = ValidationChange.Between(ShortSession, Validate(Facts() with { Role = Observe.Seen(Role(maxSession: 3600)) }));

        Assert.Equal(ChangeKind.Unchanged, change.Kind);
        Assert.False(change.ShouldNotify);
    }

    [Fact]
    public void Returning_to_healthy_is_notified()
    {
        var change = ValidationChange.Between(ShortSession, Healthy);

        Assert.Equal(ChangeKind.Recovered, change.Kind);
        Assert.True(change.ShouldNotify);
    }

    [Fact]
    public void Fixing_one_of_two_problems_is_not_notified()
    {
        var change = ValidationChange.Between(ShortSessionAndDisabledKey, ShortSession);

        Assert.Equal(ChangeKind.Improved, change.Kind);
        Assert.False(change.ShouldNotify);
        Assert.Equal([DuoQChecks.KmsKey.Id], change.Improved.Select(c => c.Id));
    }

    [Fact]
    public void A_first_result_is_notified_only_when_something_is_wrong()
    {
        Assert.False(ValidationChange.Between(null, Healthy).ShouldNotify);
        Assert.True(ValidationChange.Between(null, ShortSession).ShouldNotify);
    }

    [Fact]
    public void A_stored_report_read_back_compares_like_the_original()
    {
        var stored = ValidationReport.FromJson(ShortSession.ToJson());

        Assert.Equal(ChangeKind.Unchanged, ValidationChange.Between(stored, ShortSession).Kind);
    }
}
