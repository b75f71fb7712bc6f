namespace Intake.Media.Tests.TestSupport;

internal static class DisposableExtensions
{
    public static TResult Using<T, TResult>(this T disposable, Func<T, TResult> use)
        where T : IDisposable
    {
        using (disposable)
        {
            return use(disposable);
        }
    }
}
