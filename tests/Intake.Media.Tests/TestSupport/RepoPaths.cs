using System.Runtime.CompilerServices;

namespace Intake.Media.Tests.TestSupport;

internal static class RepoPaths
{
    // Tests build into a separate artifacts path, so locate the repository from this source file.
    public static string Root => Locate();

    public static string Prompts => Path.Combine(Root, "sip-config", "prompts");

    private static string Locate([CallerFilePath] string sourceFile = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Intake.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Intake.sln not found above " + sourceFile);
    }
}
