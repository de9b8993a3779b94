using Ferry.Archive;
using Ferry.Schema;

namespace Ferry.Import;

// The names of tables and columns while the transforms are walked in order.
internal sealed partial class TransformPlan
{
    private sealed class TableState(ManifestTable read, int index)
    {
        public ManifestTable Read { get; } = read;

        /// <summary>Position in the manifest (and staging table number minus one).</summary>
        public int Index { get; } = index;

        public string Name { get; set; } = read.Name;

        /// <summary>The line of the last rename_table that named it, when one did.</summary>
        public int? RenamedAt { get; set; }

        /// <summary>Archive columns in archive order, then added columns.</summary>
        public List<ColumnState> Columns { get; } = read.Columns.Select(c => new ColumnState(c.Name, c)).ToList();

        /// <summary>A column the transforms can still name (not dropped).</summary>
        public ColumnState? Visible(string name) => Columns.FirstOrDefault(c => !c.Dropped && c.Name == name);

        /// <summary>Any staging column of that name, dropped ones included (staging keeps them).</summary>
        public ColumnState? Staged(string name) => Columns.FirstOrDefault(c => c.Name == name);

        public ColumnState Of(string archiveName) => Columns.First(c => c.Read?.Name == archiveName);
    }

    private sealed class ColumnState(string name, ManifestColumn? read)
    {
        /// <summary>The archive's column; null for a column a transform adds.</summary>
        public ManifestColumn? Read { get; } = read;

        public string Name { get; set; } = name;

        public int? DroppedAt { get; set; }

        public bool Dropped => DroppedAt is not null;

        /// <summary>The line that renamed or added it: a target without the column is that line's mistake.</summary>
        public int? NamedAt { get; set; }

        /// <summary>The kind of the transform that added it (fill, set), for messages.</summary>
        public string? AddedBy { get; init; }

        /// <summary>An added column's target column, once the target's table is known.</summary>
        public Column? Target { get; set; }

        /// <summary>The type its staged values have: the archive's, or the target's for an added column.</summary>
        public FerryType? Type => Read?.Type ?? Target?.Type;

        public ManifestColumn Staging() =>
            Read is { } read ? read with { Name = Name } : new ManifestColumn(Name, Target!.Type, Target.SqlType, true);
    }
}
