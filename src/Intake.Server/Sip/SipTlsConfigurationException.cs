namespace Intake.Server.Sip;

/// <summary>A SIP TLS setting names a file that is missing or unusable; the message starts with the configuration key.</summary>
public sealed class SipTlsConfigurationException : Exception
{
    public SipTlsConfigurationException()
    {
    }

    public SipTlsConfigurationException(string message)
        : base(message)
    {
    }

    public SipTlsConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
