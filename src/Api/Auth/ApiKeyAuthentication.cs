using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Paco.Api.Auth;

/// <summary>Authenticates "Authorization: Bearer &lt;key&gt;"; answers 401 and 403 as problem+json.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <API key>'.");
        }
        // Resolved only for a request that carries a key: anonymous reads never lease a database context.
        var keys = Context.RequestServices.GetRequiredService<ApiKeyService>();
        var grant = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (grant is null)
        {
            return AuthenticateResult.Fail("The API key is unknown, revoked or expired.");
        }
        Context.Items[typeof(KeyGrant)] = grant;
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, grant.KeyId.ToString()),
            new Claim(ClaimTypes.Name, grant.Name),
            new Claim(ClaimTypes.Role, grant.Role),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"paco\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = failure ?? "This operation needs an API key: send 'Authorization: Bearer <API key>'.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var grant = Context.Items[typeof(KeyGrant)] as KeyGrant;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = $"The key '{grant?.Name}' has the role '{grant?.Role}', which does not allow this operation.",
            },
        });
    }
}

public static class Authorization
{
    public const string EditorPolicy = "editor";
    public const string PublisherPolicy = "publisher";
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddPacoAuth(this IServiceCollection services)
    {
        services.AddScoped<ApiKeyService>();
        services.AddSingleton<FailedAuthentications>();
        services.AddSingleton<FluentValidation.IValidator<CreateKeyRequest>, CreateKeyRequestValidator>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(EditorPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => Roles.Rank(c.User.FindFirstValue(ClaimTypes.Role)) >= Roles.Rank(Roles.Editor)))
            .AddPolicy(PublisherPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => Roles.Rank(c.User.FindFirstValue(ClaimTypes.Role)) >= Roles.Rank(Roles.Publisher)))
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => Roles.Rank(c.User.FindFirstValue(ClaimTypes.Role)) >= Roles.Rank(Roles.Admin)));
        return services;
    }

    public static KeyGrant Grant(this HttpContext http) =>
        http.Items[typeof(KeyGrant)] as KeyGrant ?? throw new InvalidOperationException("The endpoint requires authorization but no key was authenticated.");

    /// <summary>Whether the key may act on the institution with this slug.</summary>
    public static bool Covers(this KeyGrant grant, string institutionSlug) =>
        grant.InstitutionId is null || string.Equals(grant.InstitutionSlug, institutionSlug, StringComparison.Ordinal);

    /// <summary>
    /// Requires the role, and that the key's scope covers the {institution} of the route: a key of institution A
    /// can neither read drafts of nor change anything in institution B.
    /// </summary>
    public static TBuilder RequireRoleInInstitution<TBuilder>(this TBuilder builder, string policy) where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(policy);
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var grant = http.Grant();
            if (http.GetRouteValue("institution") is string institution && !grant.Covers(institution))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Forbidden",
                    detail: $"The key '{grant.Name}' belongs to institution '{grant.InstitutionSlug}' and cannot act on '{institution}'.");
            }
            return await next(context);
        });
        return builder;
    }
}
