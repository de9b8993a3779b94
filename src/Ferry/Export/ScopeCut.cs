namespace Ferry.Export;

/// <summary>
/// NOT NULL references that leave the tenant: the plan is sound but this tenant's data cannot be exported
/// as asked (a profile relation or an exclusion may fix it). A <see cref="FerryException"/> like any other for
/// export and plan, marked so that <c>ferry profile init</c> can draft a profile anyway.
/// </summary>
internal static class ScopeCut
{
    private const string Marker = "ferry.scope-cut";

    /// <summary>The failure, marked.</summary>
    public static FerryException Failure(string message)
    {
        var failure = new FerryException(message);
        failure.Data[Marker] = true;
        return failure;
    }

    /// <summary>True for a failure made by <see cref="Failure"/>.</summary>
    public static bool Is(FerryException failure) => failure.Data.Contains(Marker);
}
