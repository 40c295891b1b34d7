using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paco.Api.Data;

namespace Paco.Api.Tests.Data;

/// <summary>
/// The database contexts are pooled (up to 1024 are kept): what a returned context still references lives as long as it
/// waits in the pool. Npgsql keeps the last command of a connection for reuse, with the parameters of its statements; a
/// context kept in the pool must not keep the 2 MiB document string of the last write it did.
/// </summary>
public sealed class ContextPoolTests : ApiFixture
{
    [Test]
    public void A_context_back_in_the_pool_keeps_nothing_of_its_last_command()
    {
        var parameter = RunCommandWithLargeParameter();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.That(parameter.IsAlive, Is.False, "the pooled context (its connection's cached command) still holds the parameter");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference RunCommandWithLargeParameter()
    {
        var text = new string('x', 200_000) + Guid.NewGuid();
        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PacoDb>();
            Assert.That(db.Database.SqlQuery<int>($"select length({text}) as \"Value\"").AsEnumerable().Single(), Is.EqualTo(text.Length));
        } // the context goes back to the pool
        return new WeakReference(text);
    }
}
