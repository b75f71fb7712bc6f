using Microsoft.Extensions.Options;

namespace Intake.Server.Api;

/// <summary>Adapts an options class's own <c>Validate()</c> (a list of messages naming keys) to <see cref="IValidateOptions{TOptions}"/>.</summary>
public sealed class OptionsErrorsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly Func<TOptions, IReadOnlyList<string>> _validate;

    public OptionsErrorsValidator(Func<TOptions, IReadOnlyList<string>> validate)
    {
        _validate = validate;
    }

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = _validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
