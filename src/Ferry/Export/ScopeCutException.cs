namespace Ferry.Export;

/// <summary>
/// NOT NULL references that leave the tenant: the plan is sound but this tenant's data cannot be exported
/// as asked (a profile relation or an exclusion may fix it). A failure like any other for export and plan;
/// <c>ferry profile init</c> drafts a profile anyway.
/// </summary>
public sealed class ScopeCutException(string message) : FerryException(message);
