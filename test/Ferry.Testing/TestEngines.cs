namespace Ferry.Testing;

/// <summary>
/// The engines every database test runs on, and the directions between them, generated rather than listed: a test that
/// takes <see cref="Each"/> or <see cref="Directions"/> runs on every engine Ferry supports, and an engine added here
/// reaches every such test. A test that leaves an engine or a direction out says why where it does, with
/// <see cref="Pairs"/> or <see cref="Except"/>.
/// </summary>
public static class TestEngines
{
    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    public const string MariaDb = "mariadb";

    /// <summary>Every engine, in the order the tests list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Sqlite, Postgres, MariaDb];

    /// <summary>Each engine once: <c>[MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]</c>.</summary>
    public static TheoryData<string> Each => new(All);

    /// <summary>Every (source, target) pair of <see cref="All"/>: 9 directions for 3 engines.</summary>
    public static TheoryData<string, string> Directions => Pairs((_, _) => true);

    /// <summary>The directions that <paramref name="keep"/> accepts.</summary>
    public static TheoryData<string, string> Pairs(Func<string, string, bool> keep)
    {
        var pairs = new TheoryData<string, string>();
        foreach (var from in All)
        {
            foreach (var to in All.Where(to => keep(from, to)))
            {
                pairs.Add(from, to);
            }
        }
        return pairs;
    }

    /// <summary>Every engine but MariaDB: for the tests whose fixture MariaDB cannot hold; each says why where it takes this.</summary>
    public static TheoryData<string> WithoutMariaDb => Except(MariaDb);

    /// <summary>Every direction between the engines but MariaDB (see <see cref="WithoutMariaDb"/>).</summary>
    public static TheoryData<string, string> DirectionsWithoutMariaDb => Pairs((from, to) => from != MariaDb && to != MariaDb);

    /// <summary>Every engine but <paramref name="left"/>.</summary>
    public static TheoryData<string> Except(params string[] left) => new(All.Except(left));
}
