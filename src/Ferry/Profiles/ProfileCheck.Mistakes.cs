using Ferry.Schema;

namespace Ferry.Profiles;

public static partial class ProfileCheck
{
    /// <summary>The mistakes found so far, each with its profile line.</summary>
    internal sealed class Mistakes(Profile profile, DatabaseSchema schema, string side)
    {
        private readonly List<(int Line, string Message)> _found = [];

        /// <summary>source or target, for messages.</summary>
        public string Side => side;

        public void Add(int line, string message)
        {
            if (!_found.Contains((line, message)))
            {
                _found.Add((line, message));
            }
        }

        /// <summary>The table, or null after recording that the schema has none of that name.</summary>
        public Table? Table(int line, string name)
        {
            var table = schema.Find(name);
            if (table is null)
            {
                Add(line, $"unknown table {name}: the {side} has no table of that name");
            }
            return table;
        }

        /// <summary>True when the column exists; otherwise records the mistake.</summary>
        public bool Column(int line, Table table, string column)
        {
            if (table.FindColumn(column) is not null)
            {
                return true;
            }
            Add(line, $"unknown column {table.Name}.{column}: {table.Name} has no column {column} in the {side}");
            return false;
        }

        /// <summary>Throws one exception listing every mistake in line order.</summary>
        public void ThrowIfAny()
        {
            if (_found.Count == 0)
            {
                return;
            }
            var all = _found.OrderBy(f => f.Line).Select(f => $"{profile.Where(f.Line)}: {f.Message}").ToList();
            throw new FerryException(
                all.Count == 1 ? all[0] : $"{all.Count} mistakes in the profile: {string.Join("; ", all)}",
                ExitCodes.Usage);
        }
    }
}
