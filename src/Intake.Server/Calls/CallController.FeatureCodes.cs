using Intake.Media.Prompts;
using Intake.Media.Sdp;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;

namespace Intake.Server.Calls;

/// <summary>
/// *21 / *22 from an operator's phone: authenticated like a REGISTER, answered, confirmed by a short prompt
/// (ready / not ready), then hung up by Intake.
/// </summary>
public sealed partial class CallController
{
    private async ValueTask OnFeatureCodeAsync(ServerInviteTransaction invite, string code)
    {
        var auth = await operators.AuthenticateAsync(invite).ConfigureAwait(false);
        if (!auth.IsAuthenticated)
        {
            return; // the directory answered 401/403 itself
        }

        var username = auth.Username!;
        var result = code == FeatureCode.Ready
            ? acd.SetReady(username)
            : acd.SetNotReady(username, $"feature code {FeatureCode.NotReady}");
        ServerLog.FeatureCodeUsed(logger, username, code, result.ToString());

        var offerBytes = SdpBody.Find(invite.Request);
        var parsed = offerBytes.IsEmpty ? null : SdpParser.Parse(offerBytes.Span);
        if (parsed is not { Success: true } || !media.TryOpenSession(out var session))
        {
            // Without media there is nothing to play: the state has changed, say so in the status line.
            await invite.SendResponseAsync(invite.CreateResponse(result == Intake.Acd.AcdResult.Ok ? 480 : 403,
                result == Intake.Acd.AcdResult.Ok ? "Done - No Media" : "Not Applied")).ConfigureAwait(false);
            return;
        }

        var negotiation = SdpNegotiator.CreateAnswer(parsed.Description!, media.DescribeLocal(session!.LocalPort, SessionIdFor(invite.Request)));
        if (!negotiation.Success)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            await RejectAsync(invite, negotiation.StatusCode, null, negotiation.FormatWarning(Agent)).ConfigureAwait(false);
            return;
        }

        var dialog = Stack.CreateUasDialog(invite);
        var ok = dialog.CreateResponse(invite.Request, 200);
        SetSdp(ok, negotiation.Answer!);
        session.Apply(negotiation.Audio!);
        session.Start();
        if (!await invite.SendResponseAsync(ok).ConfigureAwait(false))
        {
            await session.DisposeAsync().ConfigureAwait(false);
            return;
        }

        var promptName = result != Intake.Acd.AcdResult.Ok ? "beep-not-ready" : code == FeatureCode.Ready ? "ready" : "not-ready";
        var prompt = media.Prompts.Find(promptName, config.Intake.PromptLanguage) ?? media.Prompts.Find(code == FeatureCode.Ready ? "beep-ready" : "beep-not-ready", "en");
        var player = new PromptPlayer(session.Outbound, media.Clock);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        player.Completed += (_, _) => done.TrySetResult();
        if (prompt is not null)
        {
            player.Play(PromptPlaylist.Once(prompt));
        }
        else
        {
            done.TrySetResult();
        }

        Track(HangUpAfterConfirmationAsync(dialog, session, player, done.Task));
    }

    private async Task HangUpAfterConfirmationAsync(Intake.Sip.Dialogs.Dialog dialog, Intake.Media.Rtp.RtpSession session, PromptPlayer player, Task played)
    {
        try
        {
            await played.WaitAsync(TimeSpan.FromSeconds(15), time).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMilliseconds(300), time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A prompt that never completes still ends in a hang-up.
        }
        finally
        {
            player.Dispose();
            if (dialog.State != Intake.Sip.Dialogs.DialogState.Terminated)
            {
                await Stack.SendInDialogAsync(dialog, dialog.CreateRequest(SipMethods.Bye)).ConfigureAwait(false);
            }

            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
