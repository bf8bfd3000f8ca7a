using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Functions.Handlers;

/// <summary>
/// Every function this binary can be: the name is the function's Handler in template.yaml.
/// A new function is one line here.
/// </summary>
public static class FunctionHandlers
{
    public static HandlerRegistry Create() => new HandlerRegistry()
        .Add(PingHandler.Name, _ => new PingHandler())
        .Add(Validation.ValidatorHandler.Name, Validation.ValidatorHandler.CreateAsync);
}
