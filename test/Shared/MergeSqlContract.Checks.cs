using Ferry.Import;

namespace Ferry;

// What the import checks before writing, and the ledger it writes last.
public abstract partial class MergeSqlContract
{
    [Fact]
    public async Task Unique_values_the_target_holds_and_values_incoming_rows_share_are_conflicts()
    {
        var rows = Beta();
        rows["groups"] = [.. rows["groups"], [5L, "delta", "Delta again", "2024-01-01 00:00:00"],
            [7L, "gamma", "Gamma", "2024-01-01 00:00:00"], [8L, "gamma", "Gamma too", "2024-01-01 00:00:00"]];
        await StageAsync(rows);
        await MapKeysAsync();
        var groups = M("groups");
        var slug = groups.Target.Uniques.Single(u => u.Columns.SequenceEqual(["slug"]));
        var email = M("users").Target.Uniques.Single(u => u.Columns.SequenceEqual(["email"]));

        Assert.Equal(["delta"], await Rows(_sql!.ExistingConflicts(groups, slug, 20)));
        Assert.Equal(1, await Count(_sql.CountExistingConflicts(groups, slug)));
        Assert.Equal(["gamma 2"], await Rows(_sql.DuplicateConflicts(groups, slug, 20)));
        Assert.Equal(1, await Count(_sql.CountDuplicateConflicts(groups, slug)));
        // Bob's e-mail is the target's, but his row is matched to the target's, not inserted: no conflict.
        Assert.Empty(await Rows(_sql.ExistingConflicts(M("users"), email, 20)));
        Assert.Equal(0, await Count(_sql.CountExistingConflicts(M("users"), email)));
    }

    [Fact]
    public async Task A_reference_to_a_row_the_archive_does_not_hold_is_dangling()
    {
        var rows = Beta();
        // Dan's current group (alpha, 1) and user 9 of a membership are not in the archive; NULL references are no dangling ones.
        rows["users"] = [.. rows["users"], [4L, "dan@example.org", "Dan", 1L]];
        rows["memberships"] = [.. rows["memberships"], [2L, 9L, "member"]];
        // A reaction to message 9, which the archive lacks, and one of a type no relation names.
        rows["reactions"] = [.. rows["reactions"], [4L, "message", 9L, "lost"], [5L, "photo", 9L, "other"]];
        await StageAsync(rows);
        await MapKeysAsync();
        var reactions = M("reactions");

        Assert.Equal(1, await Count(_sql!.CountDangling(M("users"), "current_group_id")));
        Assert.Equal(1, await Count(_sql.CountDangling(M("memberships"), "user_id")));
        Assert.Equal(0, await Count(_sql.CountDangling(M("memberships"), "group_id")));
        Assert.Equal(0, await Count(_sql.CountDangling(M("messages"), "reply_to_id")));
        Assert.Equal(0, await Count(_sql.CountDangling(M("messages"), "author_id")));
        Assert.Equal(1, await Count(_sql.CountDanglingPolymorphic(reactions, reactions.Rewrites[0].Key, reactions.Rewrites[0].Parent)));
        Assert.Equal(0, await Count(_sql.CountDanglingPolymorphic(reactions, reactions.Rewrites[1].Key, reactions.Rewrites[1].Parent)));
    }

    [Fact]
    public async Task A_written_key_that_points_at_no_row_is_found_before_the_commit()
    {
        await WrittenAsync();
        var messages = M("messages");
        var reply = messages.Target.ForeignKeys.Single(k => k.Columns.SequenceEqual(["reply_to_id"]));
        var author = messages.Target.ForeignKeys.Single(k => k.Columns.SequenceEqual(["author_id"]));
        Assert.Empty(await Rows(_sql!.DanglingKey(messages, reply)));

        // The target's own check taken off for the rest of the transaction, as each engine can: a written reply (message
        // 6) and one of the target's own messages (1), which the import did not write, then point at no message.
        IReadOnlyList<string> off = _d!.ForeignKeyChecks is { } checks ? [checks.Off] : _d.SuspendForeignKey(reply) is { } suspend ? [suspend.Drop] : _d.DeferConstraints([reply]);
        foreach (var statement in off)
        {
            await Run(statement);
        }
        await Run($"UPDATE {_d.Table("messages")} SET reply_to_id = 999 WHERE id = 6");
        await Run($"UPDATE {_d.Table("messages")} SET reply_to_id = 998 WHERE id = 1");

        Assert.Equal(["999"], await Rows(_sql.DanglingKey(messages, reply)));
        Assert.Empty(await Rows(_sql.DanglingKey(messages, author)));
    }

    [Fact]
    public async Task The_ledger_records_each_rows_target_key_and_maps_it_back_on_the_next_import()
    {
        await WrittenAsync();
        if (_d!.TransactionalDdl)
        {
            foreach (var statement in Ledger.Create(_d))
            {
                await Run(statement);
            }
        }
        foreach (var merge in _merges!.Where(MergeSql.InLedger))
        {
            await Run(_sql!.RecordRows(merge), ("tenant_no", TenantNo), ("table", merge.Target.Name), ("no", 1L));
        }

        Assert.Equal(["groups 2 4 sd-groups-1", "users 1 4 sd-users-1", "users 2 1 sd-users-2", "users 3 5 sd-users-3"],
            await Rows($"SELECT table_name, source_key, target_key, source_digest FROM {_d.Table(Ledger.Rows)} " +
                       "WHERE table_name IN ('groups', 'users') ORDER BY table_name, source_key"));
        // A composite key of references is recorded with its new values: (2, 1) is the membership of group 4 and user 4.
        Assert.Equal(["1:2,1:1 1:4,1:4", "1:2,1:2 1:4,1:1", "1:2,1:3 1:4,1:5"],
            await Rows($"SELECT source_key, target_key FROM {_d.Table(Ledger.Rows)} WHERE table_name = 'memberships' ORDER BY source_key"));
        Assert.All(await Rows($"SELECT digest FROM {_d.Table(Ledger.Rows)}"), d => Assert.Matches("^[0-9a-f]{64}$", d));

        // The next import of the tenant (--update) maps the rows through the ledger; Cat changed at the source.
        var users = M("users");
        users.Updating = true;
        await Run(_d.DropTempTable(users.Map));
        await Run(_sql!.CreateMap(users));
        await Run($"UPDATE {_d.TempTable(users.Stage)} SET {_d.Quote(users.DigestColumn!)} = 'sd-changed' WHERE id = 3");
        await Run(_sql.MapFromLedger(users), ("tenant_no", TenantNo), ("table", "users"), ("no", 0L));

        Assert.Equal(["1 4 2 0", "2 1 2 0", "3 5 2 1"],
            await Rows($"SELECT o0, n0, matched, changed FROM {_d.TempTable(users.Map)} ORDER BY o0"));
    }
}
