namespace Ferry.MariaDb;

/// <summary>Catalogue queries over information_schema for the session's database (<c>DATABASE()</c>).</summary>
internal static class MariaDbCatalogSql
{
    /// <summary>Base tables (and MariaDB's system-versioned ones); views are not data.</summary>
    public const string Tables =
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() " +
        "AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME";

    /// <summary>Columns in order; generated columns are left out (the database computes them on each side).</summary>
    public const string Columns =
        "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, CHARACTER_MAXIMUM_LENGTH, " +
        "CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() " +
        "AND EXTRA NOT LIKE '%GENERATED%' ORDER BY TABLE_NAME, ORDINAL_POSITION";

    /// <summary>Generated columns with the expressions they are computed by (MariaDB prints them as SQL over the table's columns).</summary>
    public const string GeneratedColumns =
        "SELECT TABLE_NAME, COLUMN_NAME, GENERATION_EXPRESSION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() " +
        "AND EXTRA LIKE '%GENERATED%' AND GENERATION_EXPRESSION IS NOT NULL ORDER BY TABLE_NAME, ORDINAL_POSITION";

    /// <summary>Unique indexes, column by column; SUB_PART is a prefix length (such an index is not unique over the whole value).</summary>
    public const string Uniques =
        "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS " +
        "WHERE TABLE_SCHEMA = DATABASE() AND NON_UNIQUE = 0 ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

    /// <summary>Foreign keys, column by column; REFERENCED_TABLE_SCHEMA tells keys into other databases apart.</summary>
    public const string ForeignKeys =
        "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME " +
        "FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL " +
        "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION";

    /// <summary>MariaDB only: every CHECK constraint, column and table ones, with its condition as MariaDB prints it.</summary>
    public const string Checks =
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS " +
        "WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME";

    /// <summary>MariaDB only: the column checks <c>json_valid(`col`)</c> that its JSON type is made of.</summary>
    public const string JsonChecks =
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS " +
        "WHERE CONSTRAINT_SCHEMA = DATABASE() AND CHECK_CLAUSE LIKE 'json_valid(%'";
}
