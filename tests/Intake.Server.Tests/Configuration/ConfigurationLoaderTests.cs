using Intake.Server.Configuration;

namespace Intake.Server.Tests.Configuration;

public sealed class ConfigurationLoaderTests
{
    [Fact]
    public void ResolveConfigFile_ExplicitFile_ReturnedAndArgumentRemoved()
    {
        var file = Path.GetTempFileName();
        string[] args = ["--Sip:Port=5070", "--config", file, "--x=y"];

        var resolved = ConfigurationLoader.ResolveConfigFile(ref args);

        Assert.Equal(Path.GetFullPath(file), resolved);
        Assert.Equal(["--Sip:Port=5070", "--x=y"], args);
        File.Delete(file);
    }

    [Fact]
    public void ResolveConfigFile_EqualsForm_Accepted()
    {
        var file = Path.GetTempFileName();
        string[] args = [$"--config={file}"];

        Assert.Equal(Path.GetFullPath(file), ConfigurationLoader.ResolveConfigFile(ref args));
        Assert.Empty(args);
        File.Delete(file);
    }

    [Fact]
    public void ResolveConfigFile_MissingFile_ClearError()
    {
        string[] args = ["--config", "/nonexistent/intake.json"];
        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.ResolveConfigFile(ref args));
        Assert.Equal("--config: file '/nonexistent/intake.json' does not exist", ex.Message);
    }

    [Fact]
    public void ResolveConfigFile_NoPath_ClearError()
    {
        string[] args = ["--config"];
        Assert.Throws<ConfigurationException>(() => ConfigurationLoader.ResolveConfigFile(ref args));
    }

    [Fact]
    public void ResolveConfigFile_Default_FindsShippedFile()
    {
        string[] args = [];
        var resolved = ConfigurationLoader.ResolveConfigFile(ref args);
        Assert.EndsWith(Path.Combine("sip-config", "intake.json"), resolved);
        Assert.True(File.Exists(resolved));
    }
}
