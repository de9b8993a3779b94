using Ferry.Planning;
using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Export;

/// <summary>What an export's profile adds: checked against the source, merged with the options.</summary>
internal static class ExportProfile
{
    /// <summary>
    /// Checks the profile against <paramref name="schema"/> (all mistakes at once) and returns the
    /// options with the profile's root (when none was given), exclusions and follows added, and the
    /// plan request with its ignored tables and completeness, on the schema with the profile's relations
    /// added as foreign keys (those that own rows are followed). Without a profile, the options as given.
    /// </summary>
    public static (ExportOptions Options, PlanRequest Request) Apply(ExportOptions options, DatabaseSchema schema)
    {
        var profile = options.Profile;
        if (profile is null)
        {
            return (options, new PlanRequest(schema, options.RootTable, options.Exclude, options.Follow));
        }
        ProfileCheck.AgainstSource(profile, schema, options.FileStores);
        var root = string.IsNullOrEmpty(options.RootTable)
            ? profile.Root?.Table ?? throw new FerryException("--root is required unless the profile names a root", ExitCodes.Usage)
            : options.RootTable;
        var merged = options with
        {
            RootTable = root,
            Exclude = options.Exclude.Concat(profile.Exclude.Select(e => e.Table)).Distinct(StringComparer.Ordinal).ToList(),
            Follow = options.Follow.Concat(profile.Follow.Select(f => (f.Table, f.Column)))
                .Concat(ProfileRelations.Follows(profile)).Distinct().ToList(),
        };
        var ignore = profile.Ignore.Select(i => i.Table).Distinct(StringComparer.Ordinal).ToList();
        var withRelations = ProfileRelations.Apply(schema, profile);
        return (merged, new PlanRequest(withRelations, root, merged.Exclude, merged.Follow, ignore, profile.Complete));
    }
}
