// Each fixture has its own database, so fixtures can run side by side on the two cores.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
