namespace Ferry;

/// <summary>
/// A failure the user can act on. The CLI prints <c>error: {Message}</c> on one line and exits with
/// <see cref="ExitCode"/>; no stack trace unless <c>--debug</c>.
/// </summary>
public class FerryException : Exception
{
    public FerryException(string message, int exitCode = ExitCodes.Failure, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    /// <summary>The process exit code this failure maps to.</summary>
    public int ExitCode { get; }
}

/// <summary>The archive cannot be read: wrong password, not an archive, damaged or altered.</summary>
public sealed class ArchiveException(string message, Exception? inner = null) : FerryException(message, ExitCodes.Failure, inner);

/// <summary>Exit codes, in one place (scripts rely on them).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Conflicts = 3;
    /// <summary>The server is busy with another import (HTTP 409): nothing was sent or written; try again later.</summary>
    public const int Busy = 4;
}
