namespace Intake.Server.Configuration;

/// <summary>An invalid configuration; the message is one line naming the key and the problem.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
