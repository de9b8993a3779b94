namespace Ferry.Postgres;

/// <summary>
/// The pg_catalog queries behind <see cref="PostgresSchemaReader"/>. Each takes one parameter,
/// <c>@schema</c>, and covers every ordinary and partitioned table of the schema (partitions excluded).
/// </summary>
internal static class PostgresCatalogSql
{
    private const string SchemaTables = """
        SELECT c.oid FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = @schema AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        """;

    public const string Tables = $"""
        SELECT c.relname FROM pg_catalog.pg_class c
        WHERE c.oid IN ({SchemaTables})
        ORDER BY c.relname
        """;

    /// <summary>
    /// Columns in attnum order, without dropped and generated (stored) columns. The base type
    /// follows domains (over domains) down to a real type. The sequence of a column is its identity's,
    /// else the one its default draws from: the one the default depends on (<c>DEFAULT
    /// nextval('customer_customer_id_seq'::regclass)</c>, with or without OWNED BY, as pg_dump output of older
    /// apps and hand-made schemas have it), or the one a default <c>nextval('seq'::text)</c> names, which
    /// PostgreSQL resolves only when it runs, so nothing depends on it: PostgreSQL itself reads the name
    /// (<c>parse_ident</c>, as a regclass cast does; an unqualified name is looked up in the table's schema),
    /// and only when the literal is a well-formed name; else a sequence OWNED BY the column without such a
    /// default (Saleor's <c>order_order.number</c>, which the app draws from the sequence it owns).
    /// </summary>
    public const string Columns = $"""
        SELECT c.relname, a.attname,
               pg_catalog.format_type(a.atttypid, a.atttypmod) AS sql_type,
               bt.typname AS base_type, bt.nspname AS base_namespace,
               NOT a.attnotnull AS nullable,
               pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_expr,
               a.attidentity::text AS identity,
               COALESCE(
                   CASE WHEN a.attidentity <> '' THEN pg_catalog.pg_get_serial_sequence(
                       pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), a.attname) END,
                   CASE WHEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%' THEN COALESCE(
                       (SELECT pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(s.relname)
                        FROM pg_catalog.pg_depend dep
                        JOIN pg_catalog.pg_class s ON s.oid = dep.refobjid AND s.relkind = 'S'
                        JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
                        WHERE dep.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND dep.objid = d.oid
                          AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                        ORDER BY s.oid LIMIT 1),
                       (SELECT pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(s.relname)
                        FROM (SELECT pg_catalog.parse_ident(t.name) AS parts
                              FROM (SELECT pg_catalog.replace(m[1], '''''', '''') AS name
                                    FROM pg_catalog.regexp_match(pg_catalog.pg_get_expr(d.adbin, d.adrelid),
                                         '^nextval\(\(''((?:[^'']|'''')+)''::(?:text|character varying)\)::regclass\)$') m) t
                              WHERE t.name ~ '^("([^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)(\.("([^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*))?(\.("([^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*))?$') p
                        JOIN pg_catalog.pg_namespace sn
                          ON sn.nspname = CASE WHEN pg_catalog.cardinality(p.parts) = 1 THEN n.nspname ELSE p.parts[pg_catalog.cardinality(p.parts) - 1] END
                        JOIN pg_catalog.pg_class s
                          ON s.relnamespace = sn.oid AND s.relkind = 'S' AND s.relname = p.parts[pg_catalog.cardinality(p.parts)]))
                   END,
                   pg_catalog.pg_get_serial_sequence(
                       pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), a.attname)) AS sequence
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        CROSS JOIN LATERAL (
            WITH RECURSIVE chain(oid, typtype, typbasetype, typname, typnamespace, depth) AS (
                SELECT t.oid, t.typtype, t.typbasetype, t.typname, t.typnamespace, 0
                FROM pg_catalog.pg_type t WHERE t.oid = a.atttypid
                UNION ALL
                SELECT t.oid, t.typtype, t.typbasetype, t.typname, t.typnamespace, chain.depth + 1
                FROM pg_catalog.pg_type t JOIN chain ON t.oid = chain.typbasetype
                WHERE chain.typtype = 'd'
            )
            SELECT chain.typname::text AS typname, tn.nspname::text AS nspname
            FROM chain JOIN pg_catalog.pg_namespace tn ON tn.oid = chain.typnamespace
            ORDER BY chain.depth DESC LIMIT 1
        ) bt
        WHERE a.attrelid IN ({SchemaTables})
          AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY c.relname, a.attnum
        """;

    /// <summary>
    /// Unique indexes without predicate or expressions, key columns only (not INCLUDE). Constraints
    /// (primary key, unique) are found through their backing index, which deduplicates them.
    /// </summary>
    public const string Uniques = $"""
        SELECT c.relname, COALESCE(con.conname, ic.relname)::text AS name, i.indisprimary,
               ARRAY(SELECT a.attname::text
                     FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE k.ord <= i.indnkeyatts
                     ORDER BY k.ord) AS columns
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u')
        WHERE i.indrelid IN ({SchemaTables})
          AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
        ORDER BY c.relname, i.indisprimary DESC, name
        """;

    /// <summary>
    /// Partial unique indexes over plain columns (no expressions), key columns only, with their predicate as
    /// <c>pg_get_expr</c> prints it: the import checks incoming rows against them among the rows the predicate selects.
    /// </summary>
    public const string FilteredUniques = $"""
        SELECT c.relname, ic.relname::text AS name,
               ARRAY(SELECT a.attname::text
                     FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE k.ord <= i.indnkeyatts
                     ORDER BY k.ord) AS columns,
               pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid IN ({SchemaTables})
          AND i.indisunique AND i.indpred IS NOT NULL AND i.indexprs IS NULL
        ORDER BY c.relname, name
        """;

    /// <summary>CHECK constraints of the tables (their own and those they inherit), as <c>pg_get_constraintdef</c> prints them.</summary>
    public const string Checks = $"""
        SELECT c.relname, con.conname::text, pg_catalog.pg_get_constraintdef(con.oid, true)
        FROM pg_catalog.pg_constraint con
        JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
        WHERE con.contype = 'c' AND con.conrelid IN ({SchemaTables})
        ORDER BY c.relname, con.conname
        """;

    /// <summary>Stored generated columns with the expressions they are computed by, as <c>pg_get_expr</c> prints them.</summary>
    public const string GeneratedColumns = $"""
        SELECT c.relname, a.attname, pg_catalog.pg_get_expr(d.adbin, d.adrelid)
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid IN ({SchemaTables}) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> ''
        ORDER BY c.relname, a.attnum
        """;

    /// <summary>
    /// Unique indexes with an expression among their key parts, partial or not: each key part as <c>pg_get_indexdef</c>
    /// prints it alone (a column's name, or the expression), and the predicate (NULL for a whole-table index).
    /// </summary>
    public const string ExpressionUniques = $"""
        SELECT c.relname, ic.relname::text AS name,
               ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts::int) k ORDER BY k) AS keys,
               pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid IN ({SchemaTables})
          AND i.indisunique AND i.indexprs IS NOT NULL
        ORDER BY c.relname, name
        """;

    /// <summary>
    /// Foreign keys between tables of the schema, columns paired in declaration order, with the table
    /// that declares each and the table it points at. A key declared on a partition (at any level) is
    /// reported for its partitioned root table, with the leaf partitions it covers; a key pointing at a
    /// partition points at its root. Constraints cloned onto partitions (conparentid set) are PostgreSQL's
    /// bookkeeping and are skipped.
    /// </summary>
    public const string ForeignKeys = $"""
        SELECT root.relname, con.conname::text AS name, refroot.relname::text AS ref_table,
               ARRAY(SELECT a.attname::text
                     FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                     ORDER BY k.ord) AS columns,
               ARRAY(SELECT a.attname::text
                     FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                     ORDER BY k.ord) AS ref_columns,
               EXISTS(SELECT 1 FROM unnest(con.conkey) k(attnum)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                      WHERE NOT a.attnotnull) AS nullable,
               con.condeferrable AS deferrable,
               CASE WHEN con.conrelid <> root.oid THEN
                   ARRAY(SELECT p.relname::text FROM pg_catalog.pg_partition_tree(con.conrelid) t
                         JOIN pg_catalog.pg_class p ON p.oid = t.relid WHERE t.isleaf ORDER BY 1)
               END AS partitions,
               CASE WHEN con.conrelid = root.oid AND root.relkind = 'r' AND con.convalidated
                    THEN pg_catalog.pg_get_constraintdef(con.oid) END AS definition
        FROM pg_catalog.pg_constraint con
        JOIN pg_catalog.pg_class root ON root.oid = COALESCE(pg_catalog.pg_partition_root(con.conrelid), con.conrelid)
        JOIN pg_catalog.pg_class refroot ON refroot.oid = COALESCE(pg_catalog.pg_partition_root(con.confrelid), con.confrelid)
        WHERE con.contype = 'f' AND con.conparentid = 0
          AND root.oid IN ({SchemaTables})
          AND refroot.oid IN ({SchemaTables})
        ORDER BY root.relname, con.conname
        """;

    /// <summary>
    /// Foreign keys of the schema's tables that point at a table of another schema (Supabase's
    /// <c>auth.users</c>): Ferry reads one schema, so it cannot follow them; they are named in notes.
    /// </summary>
    public const string ForeignKeysOutside = $"""
        SELECT root.relname::text, con.conname::text,
               ARRAY(SELECT a.attname::text
                     FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                     ORDER BY k.ord) AS columns,
               pg_catalog.quote_ident(rn.nspname) || '.' || pg_catalog.quote_ident(refroot.relname) AS ref_table
        FROM pg_catalog.pg_constraint con
        JOIN pg_catalog.pg_class root ON root.oid = COALESCE(pg_catalog.pg_partition_root(con.conrelid), con.conrelid)
        JOIN pg_catalog.pg_class refroot ON refroot.oid = COALESCE(pg_catalog.pg_partition_root(con.confrelid), con.confrelid)
        JOIN pg_catalog.pg_namespace rn ON rn.oid = refroot.relnamespace
        WHERE con.contype = 'f' AND con.conparentid = 0
          AND root.oid IN ({SchemaTables})
          AND refroot.oid NOT IN ({SchemaTables})
        ORDER BY root.relname, con.conname
        """;

    /// <summary>The leaf partitions of every partitioned table of the schema.</summary>
    public const string Partitions = $"""
        SELECT c.relname::text,
               ARRAY(SELECT p.relname::text FROM pg_catalog.pg_partition_tree(c.oid) t
                     JOIN pg_catalog.pg_class p ON p.oid = t.relid WHERE t.isleaf ORDER BY 1) AS partitions
        FROM pg_catalog.pg_class c
        WHERE c.oid IN ({SchemaTables}) AND c.relkind = 'p'
        ORDER BY c.relname
        """;

    /// <summary>
    /// The ordinary tables of the schema that other tables inherit from (<c>INHERITS</c>; a partitioned table's
    /// partitions are read through it on purpose and are not listed).
    /// </summary>
    public const string InheritanceParents = $"""
        SELECT c.relname::text FROM pg_catalog.pg_class c
        WHERE c.oid IN ({SchemaTables}) AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid)
        ORDER BY c.relname
        """;

    public const string SchemaExists = "SELECT EXISTS(SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = @schema)";
}
