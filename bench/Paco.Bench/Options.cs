namespace Paco.Bench;

internal static class Options
{
    public static string? Value(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    public static int Int(string[] args, string name, int fallback) => Value(args, name) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    public static bool Flag(string[] args, string name) => args.Contains(name);
}
