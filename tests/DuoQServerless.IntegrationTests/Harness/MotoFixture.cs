using DuoQServerless.Cli.Emulator;

namespace DuoQServerless.IntegrationTests.Harness;

/// <summary>
/// One emulator for every test in the "moto" collection (they run one after another).
/// A test that needs an empty account derives from <see cref="MotoTest"/>, which resets it.
/// </summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _server;

    public MotoServer Server => _server ?? throw new InvalidOperationException("the emulator has not started");

    public Uri Endpoint => Server.Endpoint;

    public async Task InitializeAsync() => _server = await MotoServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto";
}

/// <summary>Base of tests against the shared emulator: each test starts from an empty account.</summary>
[Collection(MotoCollection.Name)]
public abstract class MotoTest(MotoFixture moto) : IAsyncLifetime
{
    protected MotoFixture Moto { get; } = moto;

    protected Uri Endpoint => Moto.Endpoint;

    public virtual Task InitializeAsync() => Moto.Server.ResetAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;
}
