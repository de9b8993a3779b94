using Ferry.Engines;
using Ferry.Schema;
using Ferry.Testing;

namespace Ferry.Sqlite.Tests;

public sealed class SqliteSchemaReaderTests : IDisposable
{
    private const string Script = """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            slug VARCHAR(40) NOT NULL UNIQUE,
            created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);
        CREATE TABLE groups (
            id integer primary key,
            account_id INTEGER NOT NULL REFERENCES accounts,
            parent_id INTEGER REFERENCES groups(id),
            name TEXT,
            lower_name TEXT GENERATED ALWAYS AS (lower(name)) VIRTUAL,
            score REAL DEFAULT 0);
        CREATE UNIQUE INDEX groups_account_name ON groups (account_id, name);
        CREATE UNIQUE INDEX groups_root_name ON groups (name) WHERE parent_id IS NULL;
        CREATE UNIQUE INDEX groups_lower ON groups (lower(name));
        CREATE INDEX groups_parent ON groups (parent_id);
        CREATE TABLE memberships (
            group_id INTEGER NOT NULL REFERENCES groups (id),
            user_key TEXT NOT NULL,
            role TEXT DEFAULT 'member',
            PRIMARY KEY (user_key, group_id)) WITHOUT ROWID;
        CREATE TABLE grants (
            id INT PRIMARY KEY,
            group_id INTEGER NOT NULL,
            user_key TEXT,
            FOREIGN KEY (user_key, group_id) REFERENCES memberships (USER_KEY, group_id),
            FOREIGN KEY (GROUP_ID) REFERENCES "Groups");
        CREATE TABLE log (at TIMESTAMP, message, amount NUMERIC(10,2), data BLOB,
            message_length INTEGER GENERATED ALWAYS AS (length(message)) STORED);
        CREATE TABLE "we""ird" (k TEXT PRIMARY KEY, v UNIQUE, UNIQUE (v, k));
        CREATE VIEW group_names AS SELECT name FROM groups;
        CREATE VIRTUAL TABLE docs USING fts5 (body);
        """;

    private readonly TestSqlite _db = new();

    public void Dispose() => _db.Dispose();

    private async Task<DatabaseSchema> ReadAsync()
    {
        await _db.ExecuteAsync(Script);
        var engine = new SqliteEngineFactory().Create(_db.ConnectionString);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        await using var transaction = await engine.BeginSnapshotAsync(connection, CancellationToken.None);
        return await engine.ReadSchemaAsync(connection, transaction, CancellationToken.None);
    }

    [Fact]
    public async Task Reads_user_tables_only_in_name_order()
    {
        var schema = await ReadAsync();
        Assert.Equal(["accounts", "grants", "groups", "log", "memberships", "we\"ird"], schema.Tables.Select(t => t.Name));
    }

    [Fact]
    public async Task Autoincrement_rowid_alias_with_its_sequence()
    {
        var accounts = (await ReadAsync()).Get("accounts");
        Assert.Equal(new Column("id", "INTEGER", FerryType.Int, false, null, IsAutoIncrement: true, Sequence: "sqlite_sequence"), accounts.Columns[0]);
        Assert.Equal(new Column("created_at", "DATETIME", FerryType.Timestamp, false, "CURRENT_TIMESTAMP"), accounts.GetColumn("created_at"));
        Assert.Equal(new Column("slug", "VARCHAR(40)", FerryType.Text, false), accounts.GetColumn("slug"));
        Assert.Equal(["id"], accounts.PrimaryKey);
        Assert.True(accounts.HasSingleIntegerKey);
        Assert.Equal(
            [new UniqueKey("pk_accounts", ["id"], true), new UniqueKey("sqlite_autoindex_accounts_1", ["slug"], false)],
            accounts.Uniques, UniqueKeyComparer.Instance);
    }

    [Fact]
    public async Task Rowid_alias_generated_columns_and_unique_indexes()
    {
        var groups = (await ReadAsync()).Get("groups");
        Assert.Equal(["id", "account_id", "parent_id", "name", "score"], groups.Columns.Select(c => c.Name));
        // SQLite reports the type of an INTEGER PRIMARY KEY in upper case, whatever the spelling.
        Assert.Equal(new Column("id", "INTEGER", FerryType.Int, false, null, IsAutoIncrement: true), groups.Columns[0]);
        // SQLite turns NaN into NULL in a REAL column: the limits say so.
        Assert.Equal(new Column("score", "REAL", FerryType.Float, true, "0") { Limits = new ValueLimits(MaxMagnitude: double.MaxValue, NaN: false) }, groups.GetColumn("score"));
        // The partial, expression and non-unique indexes are not unique keys Ferry can check.
        Assert.Equal(
            [new UniqueKey("pk_groups", ["id"], true), new UniqueKey("groups_account_name", ["account_id", "name"], false)],
            groups.Uniques, UniqueKeyComparer.Instance);
    }

    [Fact]
    public async Task Foreign_keys_with_omitted_columns_and_self_references()
    {
        var groups = (await ReadAsync()).Get("groups");
        var account = Assert.Single(groups.ForeignKeys, f => f.RefTable == "accounts");
        Assert.Equal(["account_id"], account.Columns);
        Assert.Equal(["id"], account.RefColumns);
        Assert.False(account.Nullable);
        var parent = Assert.Single(groups.ForeignKeys, f => f.IsSelfReference);
        Assert.Equal(["parent_id"], parent.Columns);
        Assert.Equal(["id"], parent.RefColumns);
        Assert.True(parent.Nullable);
        Assert.Equal(["fk_groups_0", "fk_groups_1"], groups.ForeignKeys.Select(f => f.Name).Order());
    }

    [Fact]
    public async Task Without_rowid_composite_key_is_not_autoincrement()
    {
        var memberships = (await ReadAsync()).Get("memberships");
        Assert.Equal(["user_key", "group_id"], memberships.PrimaryKey);
        Assert.All(memberships.Columns, c => Assert.False(c.IsAutoIncrement));
        Assert.Equal("'member'", memberships.GetColumn("role").Default);
        Assert.False(memberships.HasSingleIntegerKey);
        Assert.Equal([new UniqueKey("pk_memberships", ["user_key", "group_id"], true)], memberships.Uniques, UniqueKeyComparer.Instance);
    }

    [Fact]
    public async Task Composite_foreign_keys_resolve_names_written_in_another_case()
    {
        var grants = (await ReadAsync()).Get("grants");
        Assert.Equal(new Column("id", "INT", FerryType.Int, false), grants.Columns[0]);
        var membership = Assert.Single(grants.ForeignKeys, f => f.RefTable == "memberships");
        Assert.Equal(["user_key", "group_id"], membership.Columns);
        Assert.Equal(["user_key", "group_id"], membership.RefColumns);
        Assert.True(membership.Nullable);
        var group = Assert.Single(grants.ForeignKeys, f => f.RefTable == "groups");
        Assert.Equal(["group_id"], group.Columns);
        Assert.Equal(["id"], group.RefColumns);
        Assert.False(group.Nullable);
    }

    [Fact]
    public async Task Table_without_primary_key_untyped_column_and_stored_generated_column()
    {
        var log = (await ReadAsync()).Get("log");
        Assert.Empty(log.PrimaryKey);
        Assert.Empty(log.Uniques);
        Assert.Equal(
            [
                new Column("at", "TIMESTAMP", FerryType.Timestamp, true),
                new Column("message", "", FerryType.Text, true),
                new Column("amount", "NUMERIC(10,2)", FerryType.Decimal, true) { Limits = new ValueLimits(Precision: 10, Scale: 2, MaxMagnitude: double.MaxValue) },
                new Column("data", "BLOB", FerryType.Bytes, true),
            ],
            log.Columns);
    }

    [Fact]
    public async Task Quoted_names_and_unique_constraints()
    {
        var weird = (await ReadAsync()).Get("we\"ird");
        Assert.Equal(["k"], weird.PrimaryKey);
        Assert.False(weird.GetColumn("k").IsAutoIncrement);
        Assert.Equal(
            [
                new UniqueKey("pk_we\"ird", ["k"], true),
                new UniqueKey("sqlite_autoindex_we\"ird_2", ["v"], false),
                new UniqueKey("sqlite_autoindex_we\"ird_3", ["v", "k"], false),
            ],
            weird.Uniques, UniqueKeyComparer.Instance);
    }

    // Records compare lists by reference; keys are equal when name, columns and kind are.
    private sealed class UniqueKeyComparer : IEqualityComparer<UniqueKey>
    {
        public static readonly UniqueKeyComparer Instance = new();

        public bool Equals(UniqueKey? x, UniqueKey? y) =>
            x is not null && y is not null && x.Name == y.Name && x.IsPrimaryKey == y.IsPrimaryKey && x.Columns.SequenceEqual(y.Columns);

        public int GetHashCode(UniqueKey obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
