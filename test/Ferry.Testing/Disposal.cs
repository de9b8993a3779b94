namespace Ferry.Testing;

/// <summary>Disposal of what a test class opened, in the order given (a transaction before its connection before its database).</summary>
public static class Disposal
{
    /// <summary>Disposes each of <paramref name="items"/> that was opened (nulls are skipped), in order.</summary>
    public static async Task DisposeAllAsync(params IAsyncDisposable?[] items)
    {
        foreach (var item in items)
        {
            if (item is not null)
            {
                await item.DisposeAsync();
            }
        }
    }
}
