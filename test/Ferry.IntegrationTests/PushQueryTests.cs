using Ferry.Engines;
using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary><see cref="IDatabaseEngine.PushQueryAsync"/> on each engine: SQLite's statement API and the others' data readers give the same values.</summary>
public sealed class PushQueryTests
{
    public static TheoryData<string> Engines => TestEngines.Each;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_querys_rows_reach_the_sink_value_for_value_with_its_parameters(string engine)
    {
        await using var db = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        var engines = Move.Engines.Create(db.ConnectionString);
        await using var connection = await engines.OpenAsync(Access.ReadWrite, CancellationToken.None);
        await using var transaction = await engines.BeginWriteAsync(connection, CancellationToken.None);
        var sink = new RecordingRowSink();
        await engines.PushQueryAsync(connection, transaction, "SELECT id, name, current_group_id FROM users WHERE id >= @from AND email <> @not ORDER BY id",
            [("from", 3L), ("not", "dan@example.org")], sink, CancellationToken.None);
        Assert.Equal(["0:3", "1:Cat", "2:null", "end", "0:5", "1:Eve", "2:3", "end"], sink.Values);
    }
}
