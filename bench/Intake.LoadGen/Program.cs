using Intake.LoadGen;

if (!OperatingSystem.IsLinux())
{
    Console.Error.WriteLine("Intake.LoadGen runs on Linux only (epoll receive through Intake.Media.Io)");
    return 2;
}

var options = LoadGenOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine($"Intake.LoadGen: {error}\n{LoadGenOptions.Usage}");
    return 2;
}

return await LoadGenRun.RunAsync(options, TimeProvider.System).ConfigureAwait(false);
