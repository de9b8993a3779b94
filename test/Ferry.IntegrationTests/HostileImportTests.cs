using System.Text.Json.Nodes;
using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>
/// Hand-made archives with hostile content, imported into real targets: nothing they hold becomes SQL, no value
/// that breaks a declared type is written, and every refusal leaves the target as it was, sequences included.
/// </summary>
public class HostileImportTests
{
    private static string Schema(string engine) => engine switch
    {
        TestEngines.Postgres => """
          CREATE TABLE groups (id bigserial PRIMARY KEY, name text NOT NULL);
          CREATE TABLE items (
            id bigserial PRIMARY KEY,
            group_id bigint NOT NULL REFERENCES groups(id),
            kind text, target_id bigint, tag_ids text,
            born date, seen_at timestamp, amount numeric(10,2), note text, score real, code varchar(4));
          """,
        TestEngines.MariaDb => """
          CREATE TABLE `groups` (id bigint AUTO_INCREMENT PRIMARY KEY, name text NOT NULL) ENGINE=InnoDB;
          CREATE TABLE items (
            id bigint AUTO_INCREMENT PRIMARY KEY,
            group_id bigint NOT NULL,
            kind text, target_id bigint, tag_ids text,
            born date, seen_at datetime(6), amount decimal(10,2), note text, score float, code varchar(4),
            FOREIGN KEY (group_id) REFERENCES `groups` (id)) ENGINE=InnoDB;
          """,
        _ => """
          CREATE TABLE groups (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
          CREATE TABLE items (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            group_id INTEGER NOT NULL REFERENCES groups(id),
            kind TEXT, target_id INTEGER, tag_ids TEXT,
            born DATE, seen_at TIMESTAMP, amount NUMERIC(10,2), note TEXT, score REAL, code VARCHAR(4));
          """,
    };

    private static string Data(string engine) =>
        "INSERT INTO groups (name) VALUES ('existing'); INSERT INTO items (group_id, note) VALUES (1, 'existing item');";

    private static readonly (string, string, string)[] ItemColumns =
    [
        ("id", "int", "bigint"), ("group_id", "int", "bigint"), ("kind", "text", "text"), ("target_id", "int", "bigint"), ("tag_ids", "text", "text"),
        ("born", "date", "date"), ("seen_at", "timestamp", "timestamp"), ("amount", "decimal", "numeric(10,2)"), ("note", "text", "text"),
        ("score", "float", "real"), ("code", "text", "character varying(4)"),
    ];

    /// <summary>Group 7 and its item 70, with <paramref name="item"/> giving the item's values after id and group_id.</summary>
    private static HostileArchive Archive(string item = "\"g\",7,\"[7]\",\"2024-01-31\",\"2024-01-31 10:00:00\",\"12.50\",\"fine\",1.5,\"ab\"")
    {
        var archive = HostileArchive.OneTable("groups", ("id", "int", "bigint"), ("name", "text", "text"));
        var items = HostileArchive.TableJson("items", "owned", ItemColumns);
        items["foreignKeys"] = new JsonArray(Key("items_group_id_fkey", "group_id"));
        archive.Manifest["tables"]!.AsArray().Add(items);
        archive.AddRows(1, "[7,\"moved\"]").AddRows(2, $"[70,7,{item}]");
        return archive;
    }

    private static JsonObject Key(string name, string column, JsonObject? reference = null)
    {
        var key = new JsonObject
        {
            ["name"] = name, ["table"] = "items", ["columns"] = new JsonArray(column), ["refTable"] = "groups",
            ["refColumns"] = new JsonArray("id"), ["nullable"] = column != "group_id",
        };
        if (reference is not null)
        {
            key["reference"] = reference;
        }

        return key;
    }

    private static JsonObject Items(HostileArchive archive) => archive.Manifest["tables"]![1]!.AsObject();

    private static Task<Import.ImportReport> Import(TestDb target, HostileArchive archive) =>
        Move.ImportAsync(target, archive.Encrypted(), password: HostileArchive.Password, match: "");

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_well_formed_hand_made_archive_imports(string engine)
    {
        await using var target = await TestDb.CreatePerEngineAsync(engine, Schema, Data);

        var report = await Import(target, Archive());

        Assert.Equal(2, report.Inserted);
        Assert.Equal("fine|ab", await target.ScalarAsync("SELECT note || '|' || code FROM items WHERE note = 'fine'"));
    }

    [Theory]
    [InlineData("sqlite", null)]
    [InlineData("postgres", null)]
    [InlineData("sqlite", "sql")]
    [InlineData("postgres", "sql")]
    [InlineData("postgres", "json")]
    [InlineData("mariadb", null)]
    [InlineData("mariadb", "sql")]
    [InlineData("mariadb", "json")]
    public async Task Sql_in_a_manifest_type_name_never_runs(string engine, string? arrayForm)
    {
        // The attack of issue 11: the PostgreSQL dialect pasted sqlType into CAST(... AS <sqlType>) for array references.
        const string injection = "bigint[])) FROM pg_temp.x; CREATE TABLE public.pwned AS SELECT 1 AS one; UPDATE public.groups SET name = 'pwned'; COMMIT; SELECT ((ARRAY[1]::bigint[]";
        await using var target = await TestDb.CreatePerEngineAsync(engine, Schema, Data);
        var archive = Archive();
        var reference = new JsonObject { ["kind"] = "array" };
        if (arrayForm is not null)
        {
            reference["arrayForm"] = arrayForm;
        }

        Items(archive)["foreignKeys"]!.AsArray().Add(Key("items_tags", "tag_ids", reference));
        Items(archive)["columns"]![4]!["sqlType"] = injection;
        // Without arrayForm (an older archive), a sqlType ending in [] says SQL array text: the injection does.
        archive.Rows[2][0] = archive.Rows[2][0].Replace("\"[7]\"", arrayForm is "sql" or null ? "\"{7}\"" : "\"[7]\"", StringComparison.Ordinal);

        await Import(target, archive);

        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE name = 'pwned'"));
        Assert.DoesNotContain("table pwned", await target.DumpAsync(), StringComparison.Ordinal);
        // The array was remapped like any reference: group 7 became the new group.
        var moved = await target.ScalarAsync("SELECT id FROM groups WHERE name = 'moved'");
        Assert.Equal($"[{moved}]", await target.ScalarAsync("SELECT tag_ids FROM items WHERE note = 'fine'"));
    }

    [Fact]
    public async Task A_type_value_stays_a_value_when_standard_conforming_strings_is_off()
    {
        await using var target = await TestDb.CreatePerEngineAsync(TestEngines.Postgres, Schema, Data);
        await target.ExecuteAsync("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET standard_conforming_strings = off', current_database()); END $$;");
        var archive = Archive("\"x\\\\'; CREATE TABLE public.pwned (); --\",7,null,null,null,null,\"fine\",null,null");
        Items(archive)["foreignKeys"]!.AsArray().Add(Key("items_target", "target_id",
            new JsonObject { ["kind"] = "column", ["typeColumn"] = "kind", ["typeValue"] = "x\\'; CREATE TABLE public.pwned (); --" }));

        await Import(target, archive);

        Assert.DoesNotContain("table pwned", await target.DumpAsync(), StringComparison.Ordinal);
        var moved = await target.ScalarAsync("SELECT id FROM groups WHERE name = 'moved'");
        Assert.Equal(moved, await target.ScalarAsync("SELECT target_id FROM items WHERE note = 'fine'"));
    }

    [Theory]
    [InlineData("sqlite", "\"g\",7,null,\"not a date\",null,null,\"x\",null,null", "the archive holds an invalid value: table 'items', column 'born', data/0002-items/000001.jsonl line 1: 'not a date' is not a date (YYYY-MM-DD)")]
    [InlineData("postgres", "\"g\",7,null,null,\"2024-13-01 10:00\",null,\"x\",null,null", "the archive holds an invalid value: table 'items', column 'seen_at', data/0002-items/000001.jsonl line 1: '2024-13-01 10:00' is not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff][±HH:MM])")]
    [InlineData("sqlite", "\"g\",7,null,null,null,\"1e999999999\",\"x\",null,null", "the archive holds an invalid value: table 'items', column 'amount', data/0002-items/000001.jsonl line 1: '1e999999999' is a decimal number beyond any database's range")]
    [InlineData("sqlite", "\"g\",7,null,null,null,\"123456789.5\",\"x\",null,null", "a value does not fit the target: table items, column amount, row 1 of the archive: '123456789.5' is 9 digits before the decimal point, more than NUMERIC(10,2) holds (8); nothing was written")]
    [InlineData("postgres", "\"g\",7,null,null,null,\"1.005\",\"x\",null,null", "a value does not fit the target: table items, column amount, row 1 of the archive: '1.005' is 3 digits after the decimal point, more than NUMERIC(10,2) keeps (2); nothing was written")]
    [InlineData("sqlite", "\"g\",7,null,null,null,null,\"a\\u0000b\",null,null", "a value does not fit the target: table items, column note, row 1 of the archive: 'a\\u0000b' is text with a NUL character (U+0000), which PostgreSQL cannot store and SQLite would hand to most apps cut short; nothing was written")]
    [InlineData("postgres", "\"g\",7,null,null,null,null,\"a\\u0000b\",null,null", "a value does not fit the target: table items, column note, row 1 of the archive: 'a\\u0000b' is text with a NUL character (U+0000), which PostgreSQL cannot store and SQLite would hand to most apps cut short; nothing was written")]
    [InlineData("sqlite", "\"g\",7,null,null,null,null,\"x\",\"NaN\",null", "a value does not fit the target: table items, column score, row 1 of the archive: 'NaN' is NaN, which this engine stores as NULL; nothing was written")]
    [InlineData("postgres", "\"g\",7,null,null,null,null,\"x\",1e300,null", "a value does not fit the target: table items, column score, row 1 of the archive: '1E+300' is out of the range of real; nothing was written")]
    [InlineData("postgres", "\"g\",7,null,null,null,null,\"x\",null,\"abcde\"", "a value does not fit the target: table items, column code, row 1 of the archive: 'abcde' is 5 characters, longer than character varying(4) allows; nothing was written")]
    public async Task A_value_that_breaks_the_declared_type_leaves_the_target_unchanged(string engine, string item, string message)
    {
        await using var target = await TestDb.CreatePerEngineAsync(engine, Schema, Data);
        var before = await target.DumpAsync();

        var e = await Assert.ThrowsAnyAsync<FerryException>(() => Import(target, Archive(item)));

        Assert.Equal(message, e.Message);
        Assert.Equal(1, e.ExitCode);
        Assert.Equal(before, await target.DumpAsync());
    }

    /// <summary>Keys inside a value that is not the JSON array the manifest says: refused, the target as it was.</summary>
    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_key_array_that_is_not_json_is_refused_and_nothing_is_written(string engine)
    {
        await using var target = await TestDb.CreatePerEngineAsync(engine, Schema, Data);
        var archive = Archive("\"g\",7,\"[7, oops\",\"2024-01-31\",\"2024-01-31 10:00:00\",\"12.50\",\"fine\",1.5,\"ab\"");
        Items(archive)["foreignKeys"]!.AsArray().Add(Key("items_tags", "tag_ids", new JsonObject { ["kind"] = "array", ["arrayForm"] = "json" }));
        var before = await target.DumpAsync();

        var failure = await Assert.ThrowsAnyAsync<FerryException>(() => Import(target, archive));

        Assert.StartsWith("items.tag_ids holds a value that is not JSON", failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task An_archive_that_leaves_out_a_key_the_target_declares_is_refused(string engine)
    {
        // Without the key, group_id 7 would be copied as it is, and link the item to the target's group 7 if any.
        await using var target = await TestDb.CreatePerEngineAsync(engine, Schema, Data);
        var before = await target.DumpAsync();
        var archive = Archive();
        Items(archive)["foreignKeys"] = new JsonArray();

        var e = await Assert.ThrowsAsync<ArchiveException>(() => Import(target, archive));

        Assert.Equal("the archive does not say how to remap every reference: the target's foreign key items.group_id → groups is not declared in the archive, " +
                     "so its values would be copied without being remapped", e.Message);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Rows_pointing_into_a_table_the_archive_does_not_hold_are_refused(string engine)
    {
        // Only items, with group_id 1: the target's existing group, which belongs to someone else.
        await using var target = await TestDb.CreatePerEngineAsync(engine, Schema, Data);
        var before = await target.DumpAsync();
        var archive = HostileArchive.OneTable("items", ItemColumns).AddRows(1, "[70,1,null,null,null,null,null,null,\"mine now\",null,null]");

        var e = await Assert.ThrowsAsync<ArchiveException>(() => Import(target, archive));

        Assert.Equal("the archive does not say how to remap every reference: 1 row(s) of items hold a items.group_id → groups value, " +
                     "but the archive holds no groups rows: they would point at whatever target rows have those ids", e.Message);
        Assert.Equal(before, await target.DumpAsync());
    }
}
