using Paco.Bench;

// The benchmark tool: builds the national-scale dataset and drives the write scenario.
//   generate --data <folder> [--municipalities 5570] [--keep-running]   bulk-loads the dataset into an embedded PostgreSQL
//   write --base-url <url> --key <admin key> [--seconds 10] [--workers 4]  drafts saved and published per second
//   bodies --base-url <url> --key <admin key> [--requests 50] [--bytes 1048576]  RSS before and after parallel 1 MiB writes
//   compress --connection <connection string> [--sample 300]   what compressing stored organ documents costs, per level
//   import-parse [--bytes 300000] [--runs 50] [--warmup 10]           parse time of a structure law into an import proposal
return args.FirstOrDefault() switch
{
    "generate" => await Generator.RunAsync(args),
    "write" => await WriteLoad.RunAsync(args),
    "bodies" => await BodyMemory.RunAsync(args),
    "compress" => await CompressionCost.RunAsync(args),
    "import-parse" => await ImportParse.RunAsync(args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Paco.Bench generate --data <folder> [--municipalities N] [--keep-running] | write --base-url <url> --key <key> [--seconds N] [--workers N] | bodies --base-url <url> --key <key> [--requests N] [--bytes N] | compress --connection <connection string> [--sample N] | import-parse [--bytes N] [--runs N]");
    return 2;
}
