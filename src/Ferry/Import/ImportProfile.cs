using System.Data.Common;
using Ferry.Profiles;
using Ferry.Schema;

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
        ImportOptions options, DatabaseSchema target, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (options.Profile is not { } profile)
        {
            return;
        }
        ProfileCheck.AgainstTarget(profile, target, options.FileStores);
        await Requirements.CheckAsync(profile, RequireSide.Target, connection, transaction, cancellationToken);
    }
}
