using Ferry.Profiles;
using Ferry.Schema;
using Ferry.Tests.Planning;

namespace Ferry.Tests.Profiles;

/// <summary>The profile's <c>changed</c> rule (issue 16, <c>export --since</c>): read as a mapping, checked against the source.</summary>
public sealed class ChangedRuleTests
{
    private static DatabaseSchema Source() => new SchemaBuilder()
        .Tables("activity", "package")
        .Table("nokey", pk: null)
        .Column("activity", "timestamp", type: FerryType.Timestamp)
        .Column("activity", "title")
        .Column("package", "metadata_modified", type: FerryType.TimestampTz)
        .Column("package", "day", type: FerryType.Date)
        .Column("nokey", "at", type: FerryType.Timestamp)
        .Build();

    [Fact]
    public void A_mapping_of_tables_to_their_changed_at_column_is_read_with_its_lines_and_passes_the_check()
    {
        var profile = ProfileLoader.Parse("root: activity\nchanged:\n  activity: timestamp\n  package: metadata_modified\n", "app.yaml");

        Assert.Equal([new ChangedRule("activity", "timestamp", 3), new ChangedRule("package", "metadata_modified", 4)], profile.Changed);
        ProfileCheck.AgainstSource(profile, Source(), null);
        Assert.Empty(ProfileLoader.Parse("changed:\n", "app.yaml").Changed);
        ProfileCheck.AgainstSource(ProfileLoader.Parse("changed: {package: day}", "app.yaml"), Source(), null);
    }

    [Theory]
    [InlineData("changed: {activty: timestamp}", "profile app.yaml:1: unknown table activty")]
    [InlineData("changed: {activity: changed}", "profile app.yaml:1: unknown column activity.changed")]
    [InlineData("changed: {activity: title}", "profile app.yaml:1: changed: activity.title holds text values; a changed-at column is a timestamp or a date")]
    [InlineData("changed: {activity: id}", "profile app.yaml:1: changed: activity.id holds int values; a changed-at column is a timestamp or a date")]
    [InlineData("changed: {nokey: at}", "profile app.yaml:1: changed: nokey has no primary key")]
    public void A_bad_rule_is_one_mistake_naming_its_line(string yaml, string expected)
    {
        var profile = ProfileLoader.Parse(yaml, "app.yaml");
        var error = Assert.Throws<FerryException>(() => ProfileCheck.AgainstSource(profile, Source(), null));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("changed: [activity.timestamp]", "changed must be a mapping")]
    [InlineData("changed: {activity: a.b}", "is not a name")]
    public void A_rule_of_the_wrong_shape_is_refused_when_the_profile_is_read(string yaml, string expected)
    {
        var error = Assert.Throws<FerryException>(() => ProfileLoader.Parse(yaml, "app.yaml"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
