namespace Paco.Api.Common;

public static class Cors
{
    /// <summary>Origins from Cors:AllowedOrigins; "*" (the default for open data) allows any. Caching and paging headers are exposed.</summary>
    public static IServiceCollection AddPacoCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? ["*"];
        return services.AddCors(options => options.AddDefaultPolicy(policy =>
        {
            if (origins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins(origins);
            }
            policy.WithMethods("GET", "HEAD", "OPTIONS")
                .WithHeaders("If-None-Match", "If-Modified-Since", "Content-Type")
                .WithExposedHeaders("ETag", "Last-Modified", "Link", "X-Total-Count", "Location")
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
    }
}
