using System.Runtime.InteropServices;
using Ferry.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
// SIGTERM (kill, systemd, docker stop) stops like Ctrl+C: serve finishes cleanly, an import rolls back.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    cancellation.Cancel();
});
return await FerryApp.RunAsync(args, CliConsole.System(), cancellation.Token);
