using Paco.Api.Import;

namespace Paco.Api.Tests.Import;

/// <summary>`import FILE --institution SLUG [--apply]`: the proposal as a summary; with --apply, the drafts.</summary>
public sealed class ImportCommandTests : ApiFixture
{
    private static string Page => Repository.PathOf("seeds", "sources", "001_b09515118379821b.txt");

    [Test]
    public async Task Import_prints_the_proposal_and_writes_nothing_without_apply()
    {
        var id = await Content.InstitutionAsync("linha-de-comando");
        using var output = new StringWriter();

        var exit = await ImportCommand.RunAsync(Factory.Services, ["import", Page, "--institution", "linha-de-comando"], output);

        Assert.That(exit, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("Organs: 1").And.Contain("Gabinete do Prefeito [gabinete-do-prefeito, gabinete]").And.Contain("22 competences")
            .And.Contain("Nothing was written."));
        Assert.That(await QueryScalarAsync<long>($"select count(*) from resources where institution_id = '{id}'"), Is.EqualTo(0));
    }

    [Test]
    public async Task Import_with_apply_creates_the_drafts_as_the_command_line()
    {
        var id = await Content.InstitutionAsync("linha-de-comando-aplica");
        using var output = new StringWriter();

        var exit = await ImportCommand.RunAsync(Factory.Services, ["import", Page, "--institution", "linha-de-comando-aplica", "--apply"], output);

        Assert.That(exit, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("created gabinete-do-prefeito: draft revision 1"));
        Assert.That(await QueryScalarAsync<string>($"select v.author from revisions v join resources r on r.id = v.resource_id where r.institution_id = '{id}'"),
            Is.EqualTo(ImportCommand.Author));
        Assert.That(await QueryScalarAsync<long>($"select count(*) from audit_log where institution_id = '{id}' and action = 'import' and key_id is null"), Is.EqualTo(1));
    }

    [Test]
    public async Task Import_without_an_institution_prints_its_usage()
    {
        using var output = new StringWriter();

        var exit = await ImportCommand.RunAsync(Factory.Services, ["import", Page], output);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output.ToString(), Does.StartWith("Usage: import FILE --institution SLUG [--apply]"));
    }
}
