using System.Data.Common;
using Ferry.Profiles;
using Ferry.Engines;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Import;

/// <summary>What an import's profile checks before anything is written.</summary>
internal static class ImportProfile
{
    /// <summary>
    /// Checks the profile's identities, conflicts and file stores against the target schema (all
    /// mistakes at once, a usage error), then runs its target requirements inside the import's
    /// transaction. Without a profile, nothing.
    /// </summary>
    public static async Task CheckAsync(
        ImportOptions options, DatabaseSchema target, ISqlDialect dialect, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (options.Profile is not { } profile)
        {
            return;
        }
        ProfileCheck.AgainstTarget(profile, target, options.FileStores);
        await CheckWhereAsync(profile, dialect, connection, transaction, cancellationToken);
        await Requirements.CheckAsync(profile, RequireSide.Target, connection, transaction, cancellationToken);
    }

    /// <summary>
    /// Runs each identity's <c>where</c> once against its table, returning no row, so that a condition the
    /// target cannot evaluate is a profile mistake naming its line before anything is staged.
    /// </summary>
    private static async Task CheckWhereAsync(
        Profile profile, ISqlDialect dialect, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var conditions = profile.Identities.Where(i => i.Where is not null).Select(i => (Identity: i, Table: i.Table, Where: i.Where!))
            .Concat(profile.Identities.Where(i => i.Through?.Where is not null).Select(i => (Identity: i, Table: i.Through!.Table, Where: i.Through.Where!)));
        foreach (var (identity, table, where) in conditions)
        {
            try
            {
                await SqlRunner.QueryTextAsync(connection, transaction, $"SELECT 1 FROM {MergeSql.Candidates(dialect, table, where)} w LIMIT 0", cancellationToken);
            }
            catch (FerryException e)
            {
                throw new FerryException($"{profile.Where(identity.Line)}: identity {identity.Table}: where \"{where}\" fails on the target's {table}: {e.Message}", ExitCodes.Usage, e);
            }
        }
    }
}
