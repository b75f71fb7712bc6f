namespace Intake.Server.Configuration;

/// <summary>Where the configuration came from; prompts and other relative paths resolve against its directory.</summary>
public sealed record ConfigurationSource(string File)
{
    public string Directory => Path.GetDirectoryName(File) ?? ".";
}
