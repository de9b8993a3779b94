namespace Ferry.Sqlite.Tests;

/// <summary>What Ferry reads out of CREATE texts as SQLite keeps them: an index's key parts, a table's CHECK constraints.</summary>
public class SqliteSqlTextTests
{
    [Theory]
    [InlineData("CREATE UNIQUE INDEX x ON t (lower(email))", new[] { "lower(email)" })]
    [InlineData("CREATE UNIQUE INDEX x ON t (lower(email) DESC, team_id ASC) WHERE state = 'active'", new[] { "lower(email)", "team_id" })]
    [InlineData("CREATE UNIQUE INDEX \"x (1)\" ON \"my table\" (substr(code, 1, 3), \"a,b\" COLLATE NOCASE)", new[] { "substr(code, 1, 3)", "\"a,b\" COLLATE NOCASE" })]
    [InlineData("CREATE UNIQUE INDEX x ON t (coalesce(note, 'a)b'''), [odd]])", new[] { "coalesce(note, 'a)b''')", "[odd]]" })]
    [InlineData("create unique index x on t(trim(name) desc)", new[] { "trim(name)" })]
    [InlineData("CREATE UNIQUE INDEX x ON t (lower(a) /* it's (a) */, b -- b's)\n)", new[] { "lower(a)", "b" })]
    public void Key_parts_are_read_between_the_parentheses_after_the_table(string sql, string[] parts) =>
        Assert.Equal(parts, SqliteSqlText.KeyParts(sql));

    [Theory]
    [InlineData("CREATE UNIQUE INDEX x ON t")]
    [InlineData("CREATE UNIQUE INDEX x ON t (a, )")]
    [InlineData("CREATE UNIQUE INDEX x ON t (lower('a)")]
    [InlineData("CREATE UNIQUE INDEX x ON t (lower(a)")]
    public void Text_that_is_no_such_list_gives_none(string sql) => Assert.Null(SqliteSqlText.KeyParts(sql));

    [Fact]
    public void Checks_are_read_from_columns_and_the_table_with_their_names()
    {
        const string sql = """
            CREATE TABLE "items" (
              id INTEGER PRIMARY KEY,
              qty INTEGER CHECK (qty >= 0), -- a CHECK (in a comment) is none
              "check" TEXT DEFAULT 'CHECK (x)',
              label TEXT CONSTRAINT [label ok] CHECK(length(label) > 0 AND label <> ')'),
              CONSTRAINT items_range check ( qty < 1000 ) /* CHECK (1) */
            )
            """;

        Assert.Equal([(null, "qty >= 0"), ("label ok", "length(label) > 0 AND label <> ')'"), ("items_range", "qty < 1000")], SqliteSqlText.Checks(sql));
    }

    [Fact]
    public void A_table_without_checks_has_none() =>
        Assert.Empty(SqliteSqlText.Checks("CREATE TABLE checks (checked INTEGER, unchecked TEXT)"));

    [Fact]
    public void Generated_columns_are_read_with_their_expressions()
    {
        const string sql = """
            CREATE TABLE items (
              id INTEGER PRIMARY KEY,
              name TEXT NOT NULL DEFAULT (CAST(1 AS TEXT)),
              "lname" TEXT GENERATED ALWAYS AS (lower(name)) VIRTUAL, -- AS (not this)
              g INTEGER AS ( length(name) + 1 ) STORED,
              CONSTRAINT c CHECK (g > 0)
            )
            """;

        Assert.Equal(new Dictionary<string, string> { ["lname"] = "lower(name)", ["g"] = "length(name) + 1" }, SqliteSqlText.GeneratedColumns(sql));
    }
}
