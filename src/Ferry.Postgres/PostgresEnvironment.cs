namespace Ferry.Postgres;

/// <summary>
/// Where libpq looks for what a connection string leaves out: environment variables (<c>PGHOST</c>,
/// <c>PGPORT</c>, <c>PGUSER</c>, <c>PGDATABASE</c>, <c>PGSSLMODE</c>, <c>PGPASSWORD</c>, <c>PGSERVICE</c>,
/// <c>PGSERVICEFILE</c>, <c>PGSYSCONFDIR</c>, <c>PGPASSFILE</c>), the service files and the password file.
/// Injected, so that resolution is tested without touching the process's environment or home.
/// </summary>
/// <param name="Variable">An environment variable, or null.</param>
/// <param name="ReadFile">A file's text, or null when it does not exist.</param>
/// <param name="IsPrivate">True when a file is readable by its owner only (a password file must be, as libpq requires).</param>
/// <param name="FileExists">Whether a file exists (a Unix socket, to find the default socket directory).</param>
public sealed record PostgresEnvironment(
    Func<string, string?> Variable,
    Func<string, string?> ReadFile,
    Func<string, bool> IsPrivate,
    Func<string, bool> FileExists)
{
    /// <summary>Nothing set and no files: what a URL says, and built-in defaults.</summary>
    public static readonly PostgresEnvironment None = new(_ => null, _ => null, _ => true, _ => false);

    /// <summary>The process's environment and file system, with <paramref name="variables"/> for the variables.</summary>
    public static PostgresEnvironment System(Func<string, string?> variables) => new(
        variables,
        path => File.Exists(path) ? File.ReadAllText(path) : null,
        path => OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) == 0,
        File.Exists);

    /// <summary>The home directory, for <c>~/.pgpass</c> and <c>~/.pg_service.conf</c>.</summary>
    public string? Home => Variable("HOME") is { Length: > 0 } home ? home : null;

    /// <summary>
    /// libpq's Unix socket directory when no host is given: the first of the usual ones that holds the
    /// server's socket for <paramref name="port"/> (Debian's /var/run/postgresql, then /tmp), else the first.
    /// </summary>
    public string DefaultSocketDirectory(int port)
    {
        string[] candidates = ["/var/run/postgresql", "/tmp"];
        return candidates.FirstOrDefault(d => FileExists(Path.Combine(d, $".s.PGSQL.{port}"))) ?? candidates[0];
    }
}
