using Microsoft.Extensions.Configuration;

namespace Intake.Server.Configuration;

/// <summary>
/// Finds the configuration file: <c>--config FILE</c> replaces the default <c>sip-config/intake.json</c>
/// (looked up in the working directory, then beside the executable).
/// </summary>
public static class ConfigurationLoader
{
    public const string DefaultRelativePath = "sip-config/intake.json";

    /// <summary>Removes <c>--config FILE</c> (or <c>--config=FILE</c>) from the arguments and returns the file to load.</summary>
    public static string ResolveConfigFile(ref string[] args)
    {
        string? explicitPath = null;
        var rest = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config")
            {
                if (i + 1 >= args.Length)
                {
                    throw new ConfigurationException("--config: a file path must follow");
                }

                explicitPath = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                explicitPath = args[i]["--config=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        args = [.. rest];
        if (explicitPath is not null)
        {
            var full = Path.GetFullPath(explicitPath);
            return File.Exists(full) ? full : throw new ConfigurationException($"--config: file '{full}' does not exist");
        }

        var inWorkingDirectory = Path.GetFullPath(DefaultRelativePath);
        if (File.Exists(inWorkingDirectory))
        {
            return inWorkingDirectory;
        }

        var besideExecutable = Path.Combine(AppContext.BaseDirectory, DefaultRelativePath);
        return File.Exists(besideExecutable)
            ? besideExecutable
            : throw new ConfigurationException($"--config: no configuration file found at '{inWorkingDirectory}' or '{besideExecutable}'");
    }

    /// <summary>Adds the file, then environment variables, then command-line <c>--Section:Key=value</c> overrides.</summary>
    public static void AddIntakeSources(IConfigurationManager configuration, string configFile, string[] args)
    {
        configuration.Sources.Clear();
        try
        {
            configuration.AddJsonFile(configFile, optional: false, reloadOnChange: false);
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationException($"{configFile}: invalid JSON: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException($"{configFile}: {ex.Message}");
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
    }
}
