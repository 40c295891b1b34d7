using System.Text.RegularExpressions;

namespace Paco.Api.Tests.Console;

/// <summary>What the console's static files must agree on, read as files (no browser needed).</summary>
public sealed partial class ConsoleFilesTests
{
    private static readonly string App = Repository.PathOf("src", "Api", "Console", "app");

    [GeneratedRegex("""<link rel="modulepreload" href="([^"]+)">""")]
    private static partial Regex Preload();

    [Test]
    public void The_console_page_preloads_every_module_but_the_entry_point()
    {
        var modules = Directory.GetFiles(App, "*.js", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(App, f).Replace('\\', '/'))
            .Where(f => f != "app.js")
            .Order(StringComparer.Ordinal);
        var preloaded = Preload().Matches(File.ReadAllText(Path.Combine(App, "index.html"))).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);

        Assert.That(preloaded, Is.EqualTo(modules), "index.html's <link rel=modulepreload> list: add a new module there, drop a removed one");
    }
}
