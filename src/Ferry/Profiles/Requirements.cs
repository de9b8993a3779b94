using System.Data.Common;
using System.Globalization;
using Ferry.Sql;

namespace Ferry.Profiles;

/// <summary>Runs a profile's <c>requires</c> checks of one side inside the caller's transaction.</summary>
internal static class Requirements
{
    /// <summary>
    /// Runs every requirement of <paramref name="side"/> in profile order; the first that does not
    /// return a true first column stops the command with its message (exit code 1), and an SQL error
    /// is a failure naming the requirement's line.
    /// </summary>
    public static async Task CheckAsync(
        Profile? profile, RequireSide side, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var rule in profile?.Requires.Where(r => r.On == side) ?? [])
        {
            List<string?[]> rows;
            try
            {
                rows = await SqlRunner.QueryTextAsync(connection, transaction, rule.Sql, cancellationToken);
            }
            catch (FerryException e)
            {
                throw new FerryException($"{profile!.Where(rule.Line)}: the requirement's SQL failed on the {side.ToString().ToLowerInvariant()}: {e.Message}", ExitCodes.Failure, e);
            }
            if (!Holds(rows))
            {
                throw new FerryException($"{rule.Message} ({profile!.Where(rule.Line)})", ExitCodes.Failure);
            }
        }
    }

    /// <summary>True when the result has a first row whose first column is true or a non-zero number.</summary>
    public static bool Holds(IReadOnlyList<string?[]> rows)
    {
        var value = rows.Count > 0 && rows[0].Length > 0 ? rows[0][0] : null;
        return value switch
        {
            null => false,
            _ when bool.TryParse(value, out var b) => b,
            "t" => true,
            _ => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d != 0,
        };
    }
}
