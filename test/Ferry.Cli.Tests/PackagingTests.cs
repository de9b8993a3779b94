namespace Ferry.Cli.Tests;

/// <summary>
/// Installing Ferry without a checkout: the .NET tool package that <c>dotnet pack</c> makes at the repository root, and
/// the self-contained single file for linux-x64, each running the demo from another directory. Both build under the
/// launcher's lock (.build/build.lock), so that they never race ./ferry's own build in the same obj/ directories; and
/// each has ./ferry build itself first, so that no other test's launcher finds itself out of date and waits for that lock
/// through a whole pack or publish.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-packaging-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly TimeSpan Build = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Dotnet_pack_makes_a_tool_that_dotnet_tool_install_installs_and_that_runs_the_demo_anywhere()
    {
        // A package cache of its own: the install must take the package just made, not one cached by an earlier run.
        var run = await Shell.RunAsync($"""
            set -e
            mkdir -p .build '{_dir}/elsewhere'
            ./ferry --version >/dev/null
            ( flock 9; dotnet pack -nologo -v q -clp:ErrorsOnly -p:PackageOutputPath='{_dir}/packages/' >&2 ) 9>.build/build.lock
            ls '{_dir}/packages'
            NUGET_PACKAGES='{_dir}/nuget' dotnet tool install ferry --tool-path '{_dir}/tools' --add-source '{_dir}/packages' >&2
            cd '{_dir}/elsewhere'
            '{_dir}/tools/ferry' --version
            '{_dir}/tools/ferry' demo >&2
            """, new() { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" }, Build);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = run.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["ferry.0.1.0.nupkg", "0.1.0"], lines.Select(l => l.Split('+')[0]).ToArray());
        Assert.Contains("Import complete", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("\n$ ferry plan --from sqlite:ferry-demo/source.db", run.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "elsewhere", "ferry-demo", "target.db")));
    }

    [Fact]
    public async Task The_single_file_build_runs_the_demo_without_dotnet_and_without_files_beside_it()
    {
        var run = await Shell.RunAsync($"""
            set -e
            mkdir -p .build '{_dir}/elsewhere' '{_dir}/home'
            ./ferry --version >/dev/null
            ( flock 9; dotnet publish src/Ferry.Cli -p:PublishProfile=linux-x64 -p:PublishDir='{_dir}/dist/' -nologo -v q -clp:ErrorsOnly >&2 ) 9>.build/build.lock
            ls -A '{_dir}/dist'
            cd '{_dir}/elsewhere'
            # No dotnet on the PATH, no DOTNET_ROOT, a home of its own (where the native SQLite library is extracted).
            env -i PATH=/nonexistent HOME='{_dir}/home' '{_dir}/dist/ferry' demo >&2
            """, new() { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" }, Build);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("ferry", run.StdoutText.Trim());
        Assert.Contains("Import complete", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("\n$ ferry plan --from sqlite:ferry-demo/source.db", run.Stderr, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(_dir, "dist", "ferry")).Length > 10_000_000);
    }
}
