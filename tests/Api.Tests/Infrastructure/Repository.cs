namespace Paco.Api.Tests;

/// <summary>Files of the repository itself (never anything outside it).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Api.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The tests run from inside the repository; Api.sln was not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
