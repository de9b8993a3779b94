using Ferry.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await FerryApp.RunAsync(args, CliConsole.System(), cancellation.Token);
