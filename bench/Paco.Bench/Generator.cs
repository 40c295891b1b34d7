namespace Paco.Bench;

/// <summary>Bulk-loads the national-scale dataset (written next).</summary>
internal static class Generator
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("generate: not written yet");
        return Task.FromResult(1);
    }
}
