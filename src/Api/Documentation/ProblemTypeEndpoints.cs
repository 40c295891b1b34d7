using Microsoft.AspNetCore.Http.HttpResults;
using Paco.Api.Common;

namespace Paco.Api.Documentation;

/// <summary>What a problem's kind means, at the address its <c>type</c> names.</summary>
public sealed record ProblemTypeDescription(string Type, string Name, int Status, string Title, string Description)
{
    public static ProblemTypeDescription Of(ProblemType type) => new(type.Uri, type.Name, type.Status, type.Title, type.Description);
}

/// <summary>The catalogue of problem types: the 'type' of every error answer resolves to one of these.</summary>
public static class ProblemTypeEndpoints
{
    public static IEndpointRouteBuilder MapProblemTypes(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(ProblemTypes.BasePath).WithTags("Problems");
        group.MapGet("/", ListProblemTypes)
            .WithName("ListProblemTypes")
            .WithSummary("Every kind of error the API answers with: its type, status, and what to do about it")
            .WithDescription("The 'type' of every problem answer is one of these URIs (relative to the API's address, the same on every deployment): compare it as a string to tell errors apart.");
        group.MapGet("/{name}", GetProblemType)
            .WithName("GetProblemType")
            .WithSummary("One kind of error, the one a problem's 'type' names")
            .WithDescription("Where a problem's 'type' resolves to: its status, title and what a client should do about it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static Ok<IReadOnlyList<ProblemTypeDescription>> ListProblemTypes() =>
        TypedResults.Ok<IReadOnlyList<ProblemTypeDescription>>([.. ProblemTypes.All.Select(ProblemTypeDescription.Of)]);

    public static Results<Ok<ProblemTypeDescription>, ProblemHttpResult> GetProblemType(string name) =>
        ProblemTypes.Named(name) is { } type
            ? TypedResults.Ok(ProblemTypeDescription.Of(type))
            : Problems.NotFound($"There is no problem type '{name}'; GET {ProblemTypes.BasePath} lists them all.");
}
