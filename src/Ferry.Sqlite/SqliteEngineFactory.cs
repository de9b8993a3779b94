using Ferry.Engines;

namespace Ferry.Sqlite;

/// <summary>
/// Makes engines for <c>sqlite:PATH</c> (relative to the current directory, or absolute) and
/// <c>sqlite:///ABSOLUTE/PATH</c>.
/// </summary>
public sealed class SqliteEngineFactory : IEngineFactory
{
    private const string Scheme = "sqlite:";
    private const string UrlScheme = "sqlite://";

    public bool Accepts(string connectionString) => connectionString.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public IDatabaseEngine Create(string connectionString)
    {
        if (!Accepts(connectionString))
        {
            throw new FerryException($"'{connectionString}' is not a SQLite connection string: use sqlite:PATH", ExitCodes.Usage);
        }

        var isUrl = connectionString.StartsWith(UrlScheme, StringComparison.OrdinalIgnoreCase);
        var path = connectionString[(isUrl ? UrlScheme : Scheme).Length..];
        if (path.Length == 0 || (isUrl && !Path.IsPathRooted(path)))
        {
            throw new FerryException($"'{connectionString}' names no file: use sqlite:PATH or sqlite:///ABSOLUTE/PATH", ExitCodes.Usage);
        }

        return new SqliteEngine(path, connectionString);
    }
}
