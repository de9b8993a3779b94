using System.Data.Common;
using Ferry.Engines;
using Ferry.Sql;

namespace Ferry.Import;

public sealed partial class Importer
{
    /// <summary>
    /// The ledger's tables on an engine whose DDL commits (<see cref="ISqlDialect.TransactionalDdl"/> false: MariaDB):
    /// created before the import's transaction starts, when missing, and dropped again when the import does not commit
    /// and they are still empty, so that a failed, refused or dry-run import leaves the target as it found it. Disposed
    /// after the transaction (declared before it), so the drop follows the rollback; on a session of its own when the
    /// import's session broke (a bulk load that failed on its way ends it).
    /// </summary>
    private sealed class LedgerFirst(IDatabaseEngine engine, DbConnection connection, ISqlDialect dialect) : IAsyncDisposable
    {
        private bool _kept;

        /// <summary>Creates the ledger's tables now where the engine's DDL would commit the import; null when there is nothing to undo.</summary>
        public static async Task<LedgerFirst?> CreateAsync(IDatabaseEngine engine, DbConnection connection, CancellationToken cancellationToken)
        {
            var d = engine.Dialect;
            if (d.TransactionalDdl)
            {
                return null;
            }
            var schema = await engine.ReadSchemaAsync(connection, null, cancellationToken);
            if (schema.Find(Ledger.Imports) is not null && schema.Find(Ledger.Rows) is not null)
            {
                return null;
            }
            foreach (var statement in Ledger.Create(d))
            {
                await SqlRunner.ExecuteAsync(connection, null, statement, cancellationToken);
            }
            return new LedgerFirst(engine, connection, d);
        }

        /// <summary>The import committed: the tables stay.</summary>
        public void Keep() => _kept = true;

        public async ValueTask DisposeAsync()
        {
            if (_kept)
            {
                return;
            }
            DbConnection? own = null;
            try
            {
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    // The broken session still holds its transaction's locks on the server until it is closed.
                    await connection.CloseAsync();
                }
                var session = connection.State == System.Data.ConnectionState.Open
                    ? connection
                    : own = await engine.OpenAsync(Access.ReadWrite, CancellationToken.None);
                // Another import may have committed into them meanwhile: only empty tables go.
                var rows = await SqlRunner.CountAsync(session, null, Ledger.CountImports(dialect), CancellationToken.None);
                if (rows == 0)
                {
                    foreach (var statement in Ledger.Drop(dialect))
                    {
                        await SqlRunner.ExecuteAsync(session, null, statement, CancellationToken.None);
                    }
                }
            }
            catch (FerryException)
            {
                // The import's own error is the one to report; empty ledger tables are harmless and a later import uses them.
            }
            finally
            {
                if (own is not null)
                {
                    await own.DisposeAsync();
                }
            }
        }
    }
}
