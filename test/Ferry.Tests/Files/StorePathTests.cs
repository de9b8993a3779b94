using Ferry.Files;

namespace Ferry.Tests.Files;

public sealed class StorePathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-store-").FullName;

    [Theory]
    [InlineData("photo.jpg")]
    [InlineData("2024/05/photo.jpg")]
    [InlineData("./2024/photo.jpg")]
    [InlineData("a..b/..c/d..")]
    [InlineData("Zoë 😀.jpg")]
    public void Relative_paths_inside_the_store_are_accepted(string path) => Assert.Null(StorePath.Problem(path));

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("/etc/passwd", "is absolute")]
    [InlineData("\\server\\share", "is absolute")]
    [InlineData("C:\\photos\\a.jpg", "is absolute")]
    [InlineData("c:a.jpg", "is absolute")]
    [InlineData("..", "leaves the store directory")]
    [InlineData("../a.jpg", "leaves the store directory")]
    [InlineData("a/../../b.jpg", "leaves the store directory")]
    [InlineData("a\\..\\..\\b.jpg", "leaves the store directory")]
    [InlineData("a\0b", "contains a NUL character")]
    [InlineData("./", "names no file")]
    public void Unsafe_paths_are_refused_with_the_reason(string path, string reason) => Assert.Equal(reason, StorePath.Problem(path));

    [Fact]
    public void Resolve_gives_the_full_path_inside_the_store_whether_or_not_the_file_exists()
    {
        var store = Directory.CreateDirectory(Path.Combine(_root, "store")).FullName;

        Assert.Equal(Path.Combine(store, "a", "b.jpg"), StorePath.Resolve(store, "a/b.jpg"));
        Assert.Equal(Path.Combine(store, "b.jpg"), StorePath.Resolve(store + "/", "./b.jpg"));
    }

    [Fact]
    public void A_symbolic_link_leading_out_of_the_store_is_refused_and_one_inside_it_accepted()
    {
        var store = Directory.CreateDirectory(Path.Combine(_root, "store")).FullName;
        Directory.CreateDirectory(Path.Combine(store, "real"));
        File.WriteAllText(Path.Combine(_root, "secret.txt"), "secret");
        File.WriteAllText(Path.Combine(store, "real", "photo.jpg"), "photo");
        Directory.CreateSymbolicLink(Path.Combine(store, "out"), _root);
        Directory.CreateSymbolicLink(Path.Combine(store, "alias"), Path.Combine(store, "real"));
        File.CreateSymbolicLink(Path.Combine(store, "secret.jpg"), Path.Combine(_root, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(store, "relative.jpg"), "../secret.txt");

        Assert.Null(StorePath.Resolve(store, "out/secret.txt"));
        Assert.Null(StorePath.Resolve(store, "secret.jpg"));
        Assert.Null(StorePath.Resolve(store, "relative.jpg"));
        // Out through a link and back in again is inside.
        Assert.Equal(Path.Combine(store, "out", "store", "real", "photo.jpg"), StorePath.Resolve(store, "out/store/real/photo.jpg"));
        Assert.Equal(Path.Combine(store, "alias", "photo.jpg"), StorePath.Resolve(store, "alias/photo.jpg"));
    }

    [Fact]
    public void A_store_that_is_itself_a_symbolic_link_holds_the_files_of_its_target()
    {
        var real = Directory.CreateDirectory(Path.Combine(_root, "real")).FullName;
        var link = Path.Combine(_root, "link");
        Directory.CreateSymbolicLink(link, real);

        Assert.NotNull(StorePath.Resolve(link, "photo.jpg"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
