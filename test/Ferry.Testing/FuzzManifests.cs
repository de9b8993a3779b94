using System.Text.Json;

using CsCheck;
using Ferry.Archive;
using Ferry.Schema;

namespace Ferry.Testing;

/// <summary>
/// A structure-aware generator of manifests for fuzzing (CsCheck): the shape of a Ferry manifest with names from a
/// small pool (so that keys often name what exists), and kinds, forms, types, roles and paths valid or hostile.
/// </summary>
public static class FuzzManifests
{
    // Names from a small pool, so that keys often name what exists; kinds, forms, types and roles valid or not.
    public static readonly Gen<string> Name = Gen.OneOf("id", "a", "b", "groups", "items", "x\"y", "it's", "", "\u001b[31m", "Δ", "name");

    public static readonly Gen<string> Column = Gen.Select(Name, Gen.OneOf("int", "text", "float", "json", "date", "uuid", "decimal", "blob", "INT"), Gen.Bool,
        Gen.OneOf("bigint", "text", "bigint[]", "x)); DROP TABLE t; --"),
        (n, t, nullable, sqlType) => $"{{\"name\":{Quote(n)},\"type\":{Quote(t)},\"sqlType\":{Quote(sqlType)},\"nullable\":{(nullable ? "true" : "false")}}}");

    public static readonly Gen<string> Reference = Gen.OneOf(
        Gen.Const("null"),
        Gen.Select(Gen.OneOf("column", "array", "json", "sql"), Gen.OneOf("$", "$.a", "$.a.b[*]", "$[*]", "$.a'); --", null), Gen.OneOf(null, "sql", "json", "bad"),
            Gen.OneOf<(string?, string?)>((null, null), ("a", "g"), ("kind", null), ("b", "x\\'; --")),
            (kind, path, form, type) => $"{{\"kind\":{Quote(kind)},\"path\":{Quote(path)},\"arrayForm\":{Quote(form)},\"typeColumn\":{Quote(type.Item1)},\"typeValue\":{Quote(type.Item2)}}}"));

    public static readonly Gen<string> Key = Gen.Select(Name, Name, Name.Array[1, 2], Name, Name.Array[1, 2], Reference,
        (name, table, columns, refTable, refColumns, reference) =>
            $"{{\"name\":{Quote(name)},\"table\":{Quote(table)},\"columns\":{Quote(columns)},\"refTable\":{Quote(refTable)},\"refColumns\":{Quote(refColumns)},\"nullable\":true,\"reference\":{reference}}}");

    public static readonly Gen<string> TableGen = Gen.Select(Name, Gen.OneOf("root", "owned", "referenced", "boss"), Column.Array[1, 4], Name.Array[0, 2], Key.Array[0, 3], Name.Array[0, 2],
        (name, role, columns, pk, keys, unique) =>
            $"{{\"name\":{Quote(name)},\"role\":{Quote(role)},\"columns\":[{string.Join(",", columns)}],\"primaryKey\":{Quote(pk)},\"foreignKeys\":[{string.Join(",", keys)}]," +
            $"\"uniques\":[{{\"name\":\"u\",\"columns\":{Quote(unique)},\"isPrimaryKey\":false}}]}}");

    /// <summary>Manifest JSON texts.</summary>
    public static readonly Gen<string> Manifests = Gen.Select(TableGen.Array[0, 4], Key.Array[0, 2], Gen.OneOf(1, 2, 3), Gen.Bool,
        (tables, cycles, version, files) =>
            $"{{\"format\":\"ferry-archive\",\"formatVersion\":{version},\"tool\":\"fuzz\",\"createdAt\":\"2024-05-01T10:00:00+00:00\"," +
            "\"source\":{\"engine\":\"sqlite\",\"database\":\"x\"},\"root\":{\"table\":\"groups\",\"ids\":[\"1\"]}," +
            $"\"tables\":[{string.Join(",", tables)}],\"cycleBreaks\":[{string.Join(",", cycles)}],\"excluded\":[],\"followed\":[]" +
            (files ? ",\"files\":[{\"store\":\"s\",\"table\":\"items\",\"column\":\"name\"}]}" : "}"));

    /// <summary>A target schema that a valid manifest fits: its tables, columns, keys and plain foreign keys.</summary>
    public static DatabaseSchema TargetFor(Manifest manifest) =>
        new(manifest.Tables.Select(t => new Table(
            t.Name,
            t.Columns.Select(c => new Column(c.Name, c.Type.ToName(), c.Type, c.Nullable || !t.PrimaryKey.Contains(c.Name))).ToList(),
            t.PrimaryKey,
            t.Uniques,
            t.ForeignKeys.Where(f => f.IsPlain).Select(f => new ForeignKey(f.Name, f.Table, f.Columns, f.RefTable, f.RefColumns, f.Nullable)).ToList())));

    /// <summary>How many seconds each fuzz target runs: <c>FERRY_FUZZ_SECONDS</c>, else 15 under CI, else 5.</summary>
    public static int Seconds { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("FERRY_FUZZ_SECONDS"), out var s) ? s
        : Environment.GetEnvironmentVariable("CI") == "true" ? 15 : 5;

    private static string Quote(object? value) => JsonSerializer.Serialize(value);
}
