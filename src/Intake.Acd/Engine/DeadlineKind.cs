namespace Intake.Acd.Engine;

internal enum DeadlineKind
{
    RingTimeout,
    WrapUpEnd,
    MaxWait,
}
