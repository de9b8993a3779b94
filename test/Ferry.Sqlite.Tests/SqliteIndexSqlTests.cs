namespace Ferry.Sqlite.Tests;

/// <summary>The key parts of a CREATE INDEX text as SQLite keeps it: quotes, nesting, ordering words and COLLATE.</summary>
public class SqliteIndexSqlTests
{
    [Theory]
    [InlineData("CREATE UNIQUE INDEX x ON t (lower(email))", new[] { "lower(email)" })]
    [InlineData("CREATE UNIQUE INDEX x ON t (lower(email) DESC, team_id ASC) WHERE state = 'active'", new[] { "lower(email)", "team_id" })]
    [InlineData("CREATE UNIQUE INDEX \"x (1)\" ON \"my table\" (substr(code, 1, 3), \"a,b\" COLLATE NOCASE)", new[] { "substr(code, 1, 3)", "\"a,b\" COLLATE NOCASE" })]
    [InlineData("CREATE UNIQUE INDEX x ON t (coalesce(note, 'a)b'''), [odd]])", new[] { "coalesce(note, 'a)b''')", "[odd]]" })]
    [InlineData("create unique index x on t(trim(name) desc)", new[] { "trim(name)" })]
    [InlineData("CREATE UNIQUE INDEX x ON t (lower(a) /* it's (a) */, b -- b's)\n)", new[] { "lower(a)", "b" })]
    public void Key_parts_are_read_between_the_parentheses_after_the_table(string sql, string[] parts) =>
        Assert.Equal(parts, SqliteIndexSql.KeyParts(sql));

    [Theory]
    [InlineData("CREATE UNIQUE INDEX x ON t")]
    [InlineData("CREATE UNIQUE INDEX x ON t (a, )")]
    [InlineData("CREATE UNIQUE INDEX x ON t (lower('a)")]
    [InlineData("CREATE UNIQUE INDEX x ON t (lower(a)")]
    public void Text_that_is_no_such_list_gives_none(string sql) => Assert.Null(SqliteIndexSql.KeyParts(sql));
}
