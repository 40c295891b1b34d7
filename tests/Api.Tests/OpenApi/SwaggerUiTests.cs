using System.Net;

namespace Paco.Api.Tests.OpenApi;

/// <summary>In production the OpenAPI document stays public and Swagger UI is off unless OpenApi:SwaggerUi turns it on.</summary>
public sealed class ProductionSwaggerUiTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["environment"] = "Production" };

    [TestCase("/swagger")]
    [TestCase("/swagger/index.html")]
    public async Task Swagger_ui_is_not_served_in_production_by_default(string url)
    {
        using var response = await Client.GetAsync(url);

        await AssertProblemAsync(response, 404);
    }

    [Test]
    public async Task The_openapi_document_stays_public_in_production()
    {
        using var response = await Client.GetAsync(Common.OpenApi.DocumentPath);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
    }
}

public sealed class SwaggerUiTurnedOnTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["environment"] = "Production",
        ["OpenApi:SwaggerUi"] = "true",
    };

    [Test]
    public async Task OpenApi_SwaggerUi_true_serves_swagger_ui_in_production()
    {
        using var response = await Client.GetAsync("/swagger/index.html");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("swagger-ui"));
    }

    [Test]
    public async Task Swagger_ui_gets_a_policy_that_allows_its_own_scripts_styles_and_the_document_and_nothing_else()
    {
        using var response = await Client.GetAsync("/swagger/index.html");

        Hardening.SecurityHeadersTests.AssertSecurityHeaders(response,
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    }
}

public sealed class DevelopmentSwaggerUiTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["environment"] = "Development" };

    [Test]
    public async Task Swagger_ui_is_served_in_development_by_default()
    {
        using var response = await Client.GetAsync("/swagger/index.html");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
    }
}
