using Intake.Sip.Dialogs;
using Intake.Sip.Transactions;

namespace Intake.Server.Calls;

/// <summary>A dialog's owner that answers the requests arriving in it (kept in <see cref="Dialog.UserState"/>).</summary>
public interface IDialogRequestHandler
{
    ValueTask OnDialogRequestAsync(SipServerTransaction transaction, Dialog dialog);
}
