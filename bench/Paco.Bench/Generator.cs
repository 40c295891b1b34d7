using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Revisions;
using Paco.Api.Seeding;

namespace Paco.Bench;

/// <summary>
/// The national-scale dataset: every municipality with a prefeitura (~20 organs) and a câmara (~8 organs),
/// 10–25 competences per organ citing the law that structures it, 3 published revisions per organ.
/// Documents are rendered by the product's own renderer and loaded with binary COPY, one batch of
/// municipalities per transaction, two batches at a time.
/// </summary>
internal static class Generator
{
    private const int Seed = 20261122;
    private static readonly DateTimeOffset Epoch = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] States = ["AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO"];

    private static readonly (string Slug, string Name, string Kind, string? Parent)[] PrefeituraOrgans =
    [
        ("gabinete-do-prefeito", "Gabinete do Prefeito", "gabinete", null),
        ("secretaria-de-administracao", "Secretaria Municipal de Administração", "secretaria", null),
        ("secretaria-de-fazenda", "Secretaria Municipal de Fazenda", "secretaria", null),
        ("secretaria-de-saude", "Secretaria Municipal de Saúde", "secretaria", null),
        ("secretaria-de-educacao", "Secretaria Municipal de Educação", "secretaria", null),
        ("secretaria-de-assistencia-social", "Secretaria Municipal de Assistência Social", "secretaria", null),
        ("secretaria-de-obras", "Secretaria Municipal de Obras e Serviços Urbanos", "secretaria", null),
        ("secretaria-de-meio-ambiente", "Secretaria Municipal de Meio Ambiente", "secretaria", null),
        ("secretaria-de-cultura", "Secretaria Municipal de Cultura e Turismo", "secretaria", null),
        ("secretaria-de-esportes", "Secretaria Municipal de Esportes e Lazer", "secretaria", null),
        ("secretaria-de-agricultura", "Secretaria Municipal de Agricultura", "secretaria", null),
        ("secretaria-de-planejamento", "Secretaria Municipal de Planejamento, Gestão e Governança", "secretaria", null),
        ("secretaria-de-transportes", "Secretaria Municipal de Transportes", "secretaria", null),
        ("nucleo-de-vigilancia-sanitaria", "Núcleo de Vigilância Sanitária", "nucleo", "secretaria-de-saude"),
        ("nucleo-de-vigilancia-em-saude", "Núcleo de Vigilância em Saúde", "nucleo", "secretaria-de-saude"),
        ("divisao-de-regulacao", "Divisão de Controle, Regulação e Avaliação", "divisao", "secretaria-de-saude"),
        ("departamento-de-ensino", "Departamento de Ensino Fundamental", "departamento", "secretaria-de-educacao"),
        ("coordenadoria-de-alimentacao-escolar", "Coordenadoria de Alimentação Escolar", "coordenadoria", "secretaria-de-educacao"),
        ("departamento-de-tributos", "Departamento de Tributos", "departamento", "secretaria-de-fazenda"),
        ("departamento-de-recursos-humanos", "Departamento de Recursos Humanos", "departamento", "secretaria-de-administracao"),
    ];

    private static readonly (string Slug, string Name, string Kind, string? Parent)[] CamaraOrgans =
    [
        ("mesa-diretora", "Mesa Diretora", "colegiado", null),
        ("presidencia", "Presidência da Câmara", "gabinete", null),
        ("procuradoria", "Procuradoria Legislativa", "procuradoria", null),
        ("controladoria", "Controladoria Interna", "controladoria", null),
        ("secretaria-geral", "Secretaria Geral", "secretaria", null),
        ("departamento-legislativo", "Departamento Legislativo", "departamento", "secretaria-geral"),
        ("departamento-financeiro", "Departamento Financeiro", "departamento", "secretaria-geral"),
        ("ouvidoria", "Ouvidoria", "assessoria", null),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var dataDirectory = Path.GetFullPath(Options.Value(args, "--data") ?? "bench/.data/postgres");
        var municipalities = Options.Int(args, "--municipalities", 5570);
        var resultsDirectory = Path.GetFullPath(Options.Value(args, "--results") ?? Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(dataDirectory))!, "results"));
        Directory.CreateDirectory(resultsDirectory);

        var server = await EmbeddedPostgres.StartAsync(dataDirectory, null, new Dictionary<string, string>
        {
            // The whole dataset (~6 GB) fits: these machines' kernel pages out cold page cache on its own (DAMON),
            // so the operating system's cache cannot be counted on to hold what PostgreSQL's does not.
            ["shared_buffers"] = "10GB",
            ["work_mem"] = "16MB",
            ["max_wal_size"] = "4GB",
        }, Console.WriteLine);
        try
        {
            await DatabaseSetup.EnsureDatabaseAsync(server.ConnectionString(), "paco");
            var connectionString = server.ConnectionString("paco");
            await File.WriteAllTextAsync(Path.Combine(resultsDirectory, "connection.txt"), connectionString + "\n");
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync();

            await using (var command = dataSource.CreateCommand("create table if not exists bench_dataset (municipalities int not null, loaded_at timestamptz not null default now(), seconds numeric)"))
            {
                await command.ExecuteNonQueryAsync();
            }
            await using (var command = dataSource.CreateCommand("select municipalities from bench_dataset"))
            {
                if (await command.ExecuteScalarAsync() is int loaded)
                {
                    Console.WriteLine($"The dataset ({loaded} municipalities) is already loaded.");
                    if (loaded != municipalities)
                    {
                        Console.Error.WriteLine($"It has {loaded} municipalities, not {municipalities}: delete {dataDirectory} to load another size.");
                    }
                    await WritePathFilesAsync(resultsDirectory, loaded);
                    return 0;
                }
            }

            var stopwatch = Stopwatch.StartNew();
            var batches = Enumerable.Range(0, municipalities).Chunk(50).ToList();
            var done = 0;
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (batch, cancellationToken) =>
            {
                var rows = new Rows();
                foreach (var m in batch)
                {
                    Build(m, prefeitura: true, rows);
                    Build(m, prefeitura: false, rows);
                }
                await CopyAsync(dataSource, rows, cancellationToken);
                var finished = Interlocked.Add(ref done, batch.Length);
                if (finished % 500 < batch.Length)
                {
                    Console.WriteLine($"{finished}/{municipalities} municipalities loaded ({stopwatch.Elapsed.TotalSeconds:F0} s)");
                }
            });
            // The search entries come from the published revisions just loaded, as migration 0010 makes them for existing data.
            // Their GIN indexes are dropped and built again afterwards, from their own definitions: inserting 3 million
            // entries into a GIN index one by one took over 25 minutes, one build takes a few.
            var searchClock = Stopwatch.StartNew();
            var ginIndexes = new List<(string Name, string Definition)>();
            await using (var command = dataSource.CreateCommand(
                "select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = 'search_entries' and indexdef like '% USING gin %'"))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ginIndexes.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
            foreach (var (name, _) in ginIndexes)
            {
                await using var drop = dataSource.CreateCommand($"drop index {name}");
                await drop.ExecuteNonQueryAsync();
            }
            await using (var command = dataSource.CreateCommand("select paco_search_backfill()"))
            {
                command.CommandTimeout = 0;
                Console.WriteLine($"{await command.ExecuteScalarAsync()} search entries made in {searchClock.Elapsed.TotalSeconds:F0} s.");
            }
            foreach (var (_, definition) in ginIndexes)
            {
                // A partitioned table's index is defined "ON ONLY" the parent; built "ON" it, every partition gets its own.
                await using var build = dataSource.CreateCommand($"set maintenance_work_mem = '512MB'; {definition.Replace(" ON ONLY ", " ON ")}");
                build.CommandTimeout = 0;
                await build.ExecuteNonQueryAsync();
            }
            Console.WriteLine($"Search indexes built ({searchClock.Elapsed.TotalSeconds:F0} s with the entries).");
            await using (var command = dataSource.CreateCommand("analyze"))
            {
                await command.ExecuteNonQueryAsync();
            }
            // The documents were rendered by this build's renderers: the API must not render them all again at start-up.
            await using (var command = dataSource.CreateCommand($"update render_format set format = {Paco.Api.Revisions.StoredRenderings.CurrentFormat}"))
            {
                await command.ExecuteNonQueryAsync();
            }
            await using (var command = dataSource.CreateCommand($"insert into bench_dataset (municipalities, seconds) values ({municipalities}, {stopwatch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)})"))
            {
                await command.ExecuteNonQueryAsync();
            }
            Console.WriteLine($"Loaded {municipalities} municipalities ({municipalities * 2} institutions) in {stopwatch.Elapsed.TotalSeconds:F0} s.");
            await WritePathFilesAsync(resultsDirectory, municipalities);
            return 0;
        }
        finally
        {
            if (!Options.Flag(args, "--keep-running"))
            {
                await server.StopAsync();
            }
        }
    }

    // The product's own renderers (modules without a database: rendering takes its data as arguments).
    private static readonly OrganModule Organs = new(new OrganDocumentValidator());
    private static readonly LegalBasisModule LegalBases = new(new LegalBasisDocumentValidator());

    private static string Code(int m) => (1100015 + m * 10).ToString(CultureInfo.InvariantCulture);

    private static string InstitutionSlug(int m, bool prefeitura) => (prefeitura ? "pm-" : "cm-") + Code(m);

    private static DateTimeOffset Published(int m, int revision) => Epoch.AddSeconds(m).AddDays(30 * (revision - 1));

    private sealed class Rows
    {
        public List<Institution> Institutions { get; } = [];
        public List<(Resource Resource, List<Revision> Revisions)> Resources { get; } = [];
        public List<OrganRow> Organs { get; } = [];
        public List<LegalBasisRow> LegalBases { get; } = [];
        public List<CitationRow> Citations { get; } = [];
    }

    private static void Build(int m, bool prefeitura, Rows rows)
    {
        var random = new Random(Seed + m * 2 + (prefeitura ? 0 : 1));
        var slug = InstitutionSlug(m, prefeitura);
        var uf = States[m % States.Length];
        var municipality = $"Município {Code(m)}";
        var institutionId = SeedImporter.SeedId(slug, "institution", slug);
        var name = prefeitura ? $"Prefeitura Municipal de {municipality}" : $"Câmara Municipal de {municipality}";
        var institutionRef = new InstitutionRef(institutionId, slug, name);
        rows.Institutions.Add(new Institution
        {
            Id = institutionId, Slug = slug, Name = name, Kind = prefeitura ? "prefeitura" : "camara",
            IbgeCode = Code(m), Uf = uf, Municipality = municipality, Website = $"https://{slug}.example.gov.br",
            Document = Json(new InstitutionDocument(new Statements($"{name}: conteúdo sintético do benchmark.", null, null, null), ["Transparência", "Eficiência"], null)),
            CreatedAt = Epoch, UpdatedAt = Epoch,
        });

        // Legal bases: the organic law, the law that structures the administration, and two more.
        var laws = new List<(Guid Id, LegalBasisDocument Document)>();
        (string Slug, string Kind, string Number, int Year, string Title)[] lawSpecs = prefeitura
            ? [("lei-organica", "lei-organica", "1", 1990, "Lei Orgânica do Município"),
               ("lei-complementar-estrutura", "lei-complementar", (100 + m % 400).ToString(CultureInfo.InvariantCulture), 2017, "Lei Complementar da Estrutura Administrativa"),
               ("lei-transparencia", "lei", (1000 + m % 900).ToString(CultureInfo.InvariantCulture), 2012, "Lei Municipal de Acesso à Informação"),
               ("decreto-regulamento", "decreto", (5000 + m % 999).ToString(CultureInfo.InvariantCulture), 2019, "Decreto que regulamenta a estrutura")]
            : [("lei-organica", "lei-organica", "1", 1990, "Lei Orgânica do Município"),
               ("resolucao-estrutura", "resolucao", (200 + m % 90).ToString(CultureInfo.InvariantCulture), 2018, "Resolução da Estrutura Administrativa"),
               ("resolucao-regimento-interno", "resolucao", (10 + m % 90).ToString(CultureInfo.InvariantCulture), 2015, "Resolução do Regimento Interno")];
        foreach (var spec in lawSpecs)
        {
            var document = new LegalBasisDocument(spec.Slug, spec.Kind, spec.Number, spec.Year, null, $"{spec.Title} nº {spec.Number}/{spec.Year}", null,
                $"https://{slug}.example.gov.br/leis/{spec.Slug}", LegalBasisStatuses.InForce, null);
            laws.Add((SeedImporter.SeedId(slug, LegalBasisModule.TypeName, spec.Slug), document));
        }
        var structureLaw = laws[1].Id; // the law every organ's competences cite

        var specs = prefeitura ? PrefeituraOrgans : CamaraOrgans;
        var ids = specs.ToDictionary(s => s.Slug, s => SeedId(slug, s.Slug));
        var organs = new List<(Guid Id, OrganDocument[] Revisions)>();
        for (var i = 0; i < specs.Length; i++)
        {
            var spec = specs[i];
            var count = random.Next(10, 26);
            var competences = Enumerable.Range(0, count).Select(c => new Competence(
                    DeterministicGuid(random), LexRoman(c + 1), Phrases.Competences[random.Next(Phrases.Competences.Length)],
                    c >= count - 3 ? CompetenceGroups.HeadAttributions : CompetenceGroups.Competences, null,
                    [new Citation(structureLaw, (i + 2).ToString(CultureInfo.InvariantCulture), null, LexRoman(c + 1))]))
                .ToList();
            var first = new OrganDocument(spec.Slug, spec.Name, null, spec.Kind, spec.Parent is null ? null : ids[spec.Parent], i + 1,
                new Statements(null, Phrases.Missions[random.Next(Phrases.Missions.Length)], Phrases.Visions[random.Next(Phrases.Visions.Length)], null),
                Phrases.Values.OrderBy(_ => random.Next()).Take(random.Next(3, 7)).ToList(),
                competences,
                new Head($"Titular da {spec.Name}", $"Servidor(a) {random.Next(1000, 9999)}", new DateOnly(2025, 1, 1)),
                new Contact([new Address("Rua da Prefeitura", (100 + i).ToString(CultureInfo.InvariantCulture), null, "Centro", municipality, uf, "30000-000", "Segunda a sexta, das 8h às 17h")],
                    [new Phone("+55 31 3000-" + random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture), "Atendimento")], [$"{spec.Slug}@{slug}.example.gov.br"], null),
                [new LegalBasisLink(structureLaw, "structures")],
                new EffectivePeriod(new DateOnly(2017, 3, 1), null),
                null);
            // Revision 2 rewrites one competence, revision 3 adds one: what real editing looks like.
            var edited = first.Competences.ToList();
            var rewritten = random.Next(edited.Count);
            edited[rewritten] = edited[rewritten] with { Text = Phrases.Competences[random.Next(Phrases.Competences.Length)] };
            var second = first with { Competences = edited };
            var third = second with
            {
                Competences = [.. second.Competences, new Competence(DeterministicGuid(random), LexRoman(second.Competences.Count + 1),
                    "Executar outras atribuições correlatas que lhe forem delegadas.", CompetenceGroups.Competences, null, [])],
            };
            organs.Add((ids[spec.Slug], [first, second, third]));
        }

        // Projections and citations of the published (third) revisions, then render with the product's renderer.
        var organRefs = organs.Select(o => new OrganRef(o.Id, o.Revisions[2].Slug, o.Revisions[2].Name)).ToList();
        var citations = organs.SelectMany(o => OrganModule.CitationsOf(o.Id, o.Revisions[2])).ToList();
        var institution = new InstitutionInfo(institutionId, slug, name, uf, municipality);
        var summaries = laws.Select(l => LegalBasisSummaries.Summary(institution, l.Id, l.Document)).ToList();
        var organData = new OrganRenderData(organRefs.ToDictionary(o => o.Id), summaries.ToDictionary(l => l.Id));
        var legalBasisData = new LegalBasisRenderData(citations.ToLookup(c => c.LegalBasisId));

        foreach (var (id, document) in laws)
        {
            var revision = NewRevision(id, 1, document, m);
            var json = LegalBases.Render(legalBasisData, institution, id, document, new RevisionInfo(1, Published(m, 1), revision.ContentHash));
            rows.Resources.Add((Published(institutionId, id, LegalBasisModule.TypeName, document.Slug, 1, json, m), [revision]));
            rows.LegalBases.Add(new LegalBasisRow
            {
                ResourceId = id, InstitutionId = institutionId, Slug = document.Slug, Kind = document.Kind, Number = document.Number,
                Year = document.Year, Title = document.Title, Status = document.Status,
            });
        }
        foreach (var (id, revisions) in organs)
        {
            var stored = revisions.Select((d, r) => NewRevision(id, r + 1, d, m)).ToList();
            var published = revisions[2];
            var json = Organs.Render(organData, institution, id, published, new RevisionInfo(3, Published(m, 3), stored[2].ContentHash));
            rows.Resources.Add((Published(institutionId, id, OrganModule.TypeName, published.Slug, 3, json, m), stored));
            rows.Organs.Add(new OrganRow
            {
                ResourceId = id, InstitutionId = institutionId, Slug = published.Slug, Name = published.Name, Acronym = published.Acronym,
                Kind = published.Kind, ParentId = published.ParentId, DisplayOrder = published.DisplayOrder,
            });
        }
        rows.Citations.AddRange(citations);
    }

    private static Revision NewRevision(Guid resourceId, int number, object document, int m)
    {
        var json = Json(document);
        return new Revision
        {
            ResourceId = resourceId, Number = number, Document = json, ContentHash = ContentStore.ContentHash(json),
            CreatedAt = Published(m, number).AddHours(-1), Author = "benchmark", Note = $"Revisão {number}",
        };
    }

    private static Resource Published(Guid institutionId, Guid id, string type, string slug, int revision, object representation, int m)
    {
        var bytes = PacoJson.SerializeToUtf8(representation, representation.GetType());
        return new Resource
        {
            Id = id, InstitutionId = institutionId, Type = type, Slug = slug, LatestRevision = revision, PublishedRevision = revision,
            PublishedAt = Published(m, revision), PublishedJson = Encoding.UTF8.GetString(bytes), PublishedEtag = ETags.Of(bytes),
            RenderedAt = Published(m, revision), CreatedAt = Published(m, 1).AddHours(-2),
        };
    }

    private static async Task CopyAsync(NpgsqlDataSource dataSource, Rows rows, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy institutions (id, slug, name, kind, ibge_code, uf, municipality, website, document, version, created_at, updated_at) from stdin (format binary)", cancellationToken))
        {
            foreach (var i in rows.Institutions)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(i.Id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(i.Slug, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(i.Name, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(i.Kind, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(i.IbgeCode!, NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(i.Uf!, NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(i.Municipality!, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(i.Website!, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(i.Document, NpgsqlDbType.Jsonb, cancellationToken);
                await copy.WriteAsync(i.Version, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(i.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(i.UpdatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy resources (id, institution_id, type, slug, public_slug, latest_revision, published_revision, published_at, published_json, published_etag, rendered_at, created_at) from stdin (format binary)", cancellationToken))
        {
            foreach (var (r, _) in rows.Resources)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(r.Id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(r.InstitutionId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(r.Type, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Slug, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Slug, NpgsqlDbType.Text, cancellationToken); // published: its public slug is its slug
                await copy.WriteAsync(r.LatestRevision, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(r.PublishedRevision!.Value, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(r.PublishedAt!.Value, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(r.PublishedJson!, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.PublishedEtag!, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.RenderedAt!.Value, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy revisions (resource_id, number, document, content_hash, created_at, author, note) from stdin (format binary)", cancellationToken))
        {
            foreach (var revision in rows.Resources.SelectMany(r => r.Revisions))
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(revision.ResourceId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(revision.Number, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(revision.Document, NpgsqlDbType.Jsonb, cancellationToken);
                await copy.WriteAsync(revision.ContentHash, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(revision.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(revision.Author, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(revision.Note!, NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy publications (resource_id, revision_number, action, at, author) from stdin (format binary)", cancellationToken))
        {
            foreach (var revision in rows.Resources.SelectMany(r => r.Revisions))
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(revision.ResourceId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(revision.Number, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(PublicationActions.Publish, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(revision.CreatedAt.AddHours(1), NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync("benchmark", NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy organs (resource_id, institution_id, slug, name, acronym, kind, parent_id, display_order) from stdin (format binary)", cancellationToken))
        {
            foreach (var o in rows.Organs)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(o.ResourceId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(o.InstitutionId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(o.Slug, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(o.Name, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, o.Acronym, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(o.Kind, NpgsqlDbType.Text, cancellationToken);
                if (o.ParentId is Guid parent)
                {
                    await copy.WriteAsync(parent, NpgsqlDbType.Uuid, cancellationToken);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken);
                }
                await copy.WriteAsync(o.DisplayOrder, NpgsqlDbType.Integer, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy legal_bases (resource_id, institution_id, slug, kind, number, year, title, status) from stdin (format binary)", cancellationToken))
        {
            foreach (var l in rows.LegalBases)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(l.ResourceId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(l.InstitutionId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(l.Slug, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(l.Kind, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, l.Number, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(l.Year!.Value, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(l.Title, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(l.Status, NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy citations (organ_id, organ_slug, organ_name, legal_basis_id, competence_id, competence_label, competence_group, article, paragraph, item, role) from stdin (format binary)", cancellationToken))
        {
            foreach (var c in rows.Citations)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(c.OrganId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(c.OrganSlug, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(c.OrganName, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(c.LegalBasisId, NpgsqlDbType.Uuid, cancellationToken);
                if (c.CompetenceId is Guid competence)
                {
                    await copy.WriteAsync(competence, NpgsqlDbType.Uuid, cancellationToken);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken);
                }
                await WriteNullableAsync(copy, c.CompetenceLabel, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, c.CompetenceGroup, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, c.Article, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, c.Paragraph, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, c.Item, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, c.Role, NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(value, type, cancellationToken);
        }
    }

    /// <summary>Samples of URLs for the load scenarios, from the same deterministic layout the loader used.</summary>
    private static async Task WritePathFilesAsync(string directory, int municipalities)
    {
        var random = new Random(Seed);
        string RandomInstitution(out bool prefeitura)
        {
            prefeitura = random.Next(3) > 0;
            return InstitutionSlug(random.Next(municipalities), prefeitura);
        }
        var organs = new List<string>();
        var pointInTime = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var institution = RandomInstitution(out var prefeitura);
            var specs = prefeitura ? PrefeituraOrgans : CamaraOrgans;
            var path = $"/api/v1/institutions/{institution}/organs/{specs[random.Next(specs.Length)].Slug}";
            organs.Add(path);
            var m = (int.Parse(institution[3..], CultureInfo.InvariantCulture) - 1100015) / 10;
            // Between the publication of revision 2 and 3: the answer is revision 2.
            pointInTime.Add($"{path}?at={Uri.EscapeDataString(Published(m, 2).AddDays(15).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}");
        }
        var institutions = Enumerable.Range(0, 1000).Select(_ => RandomInstitution(out bool _)).ToList();
        var legalBases = Enumerable.Range(0, 1000).Select(_ =>
        {
            var institution = RandomInstitution(out var prefeitura);
            return $"/api/v1/institutions/{institution}/legal-bases/{(prefeitura ? "lei-complementar-estrutura" : "resolucao-estrutura")}";
        }).ToList();
        await File.WriteAllLinesAsync(Path.Combine(directory, "organ-paths.txt"), organs);
        await File.WriteAllLinesAsync(Path.Combine(directory, "point-in-time-paths.txt"), pointInTime.Take(1000));
        await File.WriteAllLinesAsync(Path.Combine(directory, "institution-slugs.txt"), institutions);
        await File.WriteAllLinesAsync(Path.Combine(directory, "legal-basis-paths.txt"), legalBases);
        Console.WriteLine($"Wrote URL samples to {directory}");
    }

    private static string Json(object value) => Encoding.UTF8.GetString(PacoJson.SerializeToUtf8(value, value.GetType()));

    private static Guid SeedId(string institution, string organ) => SeedImporter.SeedId(institution, OrganModule.TypeName, organ);

    private static Guid DeterministicGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static string LexRoman(int number)
    {
        (int Value, string Numeral)[] table = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
        var builder = new StringBuilder();
        foreach (var (value, numeral) in table)
        {
            for (; number >= value; number -= value)
            {
                builder.Append(numeral);
            }
        }
        return builder.ToString();
    }
}
