namespace DuoQServerless.Core.CloudTrail;

/// <summary>What came of reading one event: a record, or the field that made it unreadable.</summary>
public abstract record ParseOutcome
{
    private ParseOutcome() { }

    public sealed record Parsed(CloudTrailRecord Record) : ParseOutcome;

    /// <param name="Field">JSON path of the field at fault, e.g. <c>detail.eventID</c>, or <c>$</c> for the whole text.</param>
    public sealed record Invalid(string Field, string Reason) : ParseOutcome
    {
        public override string ToString() => $"{Field}: {Reason}";
    }
}
