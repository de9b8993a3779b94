using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>
/// MariaDB draws the ids of messages as the rows are inserted (AUTO_INCREMENT); messages.reply_to_id points at other
/// messages. The replies are written with the ids the key map predicts, foreign key checks off for that insert, and set
/// again from the drawn ids only when the insert did not draw exactly those (docs/engines.md); every key of the table is
/// checked before the commit. Either way the replies link the same messages as at the source.
/// </summary>
public sealed class DrawnSelfReferenceTests
{
    // Each message of the moved conversation with the message it replies to, by body.
    private static async Task<string[]> RepliesAsync(TestDb db) =>
        (await db.QueryAsync(
            $"SELECT m.body || ' -> ' || COALESCE(p.body, '-') FROM messages m LEFT JOIN messages p ON p.id = m.reply_to_id " +
            $"WHERE m.conversation_id = '{CommunityFixture.Uuid1}'"))
        .Select(r => r[0]!).Order(StringComparer.Ordinal).ToArray();

    private static async Task<TestDb> SourceAsync()
    {
        var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        // A reply to a later message: the insert, in the order of the new ids, writes it before the row it points at.
        await source.ExecuteAsync("UPDATE messages SET reply_to_id = 3 WHERE id = 1");
        return source;
    }

    [Fact]
    public async Task Replies_written_with_the_predicted_ids_link_the_same_messages_as_at_the_source()
    {
        await using var source = await SourceAsync();
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);

        await Move.ImportAsync(target, await Move.ExportAsync(source));

        Assert.Equal(await RepliesAsync(source), await RepliesAsync(target));
        Assert.Equal("It's on", await target.ScalarAsync(
            $"SELECT m.body FROM conversations c JOIN messages m ON m.id = c.latest_message_id WHERE c.id = '{CommunityFixture.Uuid1}'"));
        // The target's own thread is untouched, and the application's next insert works.
        Assert.Equal(new[] { "target 1 -> -", "target 2 -> target 1", "target 3 -> target 2" }, (await target.QueryAsync(
            $"SELECT m.body || ' -> ' || COALESCE(p.body, '-') FROM messages m LEFT JOIN messages p ON p.id = m.reply_to_id WHERE m.conversation_id = '{CommunityFixture.Uuid2}' ORDER BY m.id"))
            .Select(r => r[0]!).ToArray());
        await target.ExecuteAsync($"INSERT INTO messages (conversation_id, author_id, body) VALUES ('{CommunityFixture.Uuid2}', 1, 'next')");
    }

    /// <summary>
    /// An application that inserts a message while the import runs (here a trigger of the target's, on each new
    /// conversation, which the import writes before the messages) takes the id the key map predicted for the first
    /// imported message: the import draws the next block, and the replies must be set again from the drawn ids.
    /// </summary>
    [Fact]
    public async Task An_application_insert_during_the_import_moves_the_drawn_ids_and_the_replies_are_set_from_them()
    {
        await using var source = await SourceAsync();
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        await target.ExecuteAsync("CREATE TRIGGER welcome AFTER INSERT ON conversations FOR EACH ROW " +
                                  "INSERT INTO messages (conversation_id, author_id, body) VALUES (NEW.id, (SELECT MIN(id) FROM users), 'welcome')");

        await Move.ImportAsync(target, await Move.ExportAsync(source));

        var expected = (await RepliesAsync(source)).Append("welcome -> -").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, await RepliesAsync(target));
        Assert.Equal("It's on", await target.ScalarAsync(
            $"SELECT m.body FROM conversations c JOIN messages m ON m.id = c.latest_message_id WHERE c.id = '{CommunityFixture.Uuid1}'"));
        // The welcome message came first: its id is the one the key map had predicted for the first imported message.
        Assert.Equal("4", await target.ScalarAsync("SELECT id FROM messages WHERE body = 'welcome'"));
    }
}
