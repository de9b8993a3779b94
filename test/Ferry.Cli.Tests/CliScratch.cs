using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// A test class's scratch space: a temporary directory for archives and profiles, and the databases a test
/// creates (<see cref="Keep"/>), all removed when the class's tests are done.
/// </summary>
public abstract class CliScratch(string prefix) : IAsyncLifetime
{
    private readonly List<TestDb> _databases = [];

    /// <summary>The engines every test of these classes runs on.</summary>
    public static TheoryData<string> Engines => TestEngines.Each;

    /// <summary>The engines a test that only imports into them runs on: every engine, as <see cref="Engines"/>.</summary>
    public static TheoryData<string> Targets => TestEngines.Each;

    /// <summary>The scratch directory.</summary>
    protected string Dir { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Removes <paramref name="db"/> with the scratch space; returns it.</summary>
    protected TestDb Keep(TestDb db)
    {
        _databases.Add(db);
        return db;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var db in _databases)
        {
            await db.DisposeAsync();
        }
        Directory.Delete(Dir, recursive: true);
    }
}
