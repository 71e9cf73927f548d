// The new authenticator's key as the app takes it: a QR code (drawn on the server) beside the key in
// groups of four, and the otpauth link for apps that take one. Used at first setup and at replacement.
import { authenticator } from 'otplib';
import { tr, type Lang } from '../../../platform/i18n.ts';
import { QrCode } from '../../../web/qr.tsx';

export function AuthenticatorKey({ lang, secret, account }: { lang: Lang; secret: string; account: string }) {
  const uri = authenticator.keyuri(account, 'Panjereh', secret);
  return (
    <div class="authenticator-key">
      <QrCode text={uri} label={tr(lang, 'کد QR برای برنامه تأیید هویت', 'QR code for your authenticator app')} />
      <div>
        <p>
          {tr(
            lang,
            'این کد را با برنامه اسکن کنید، یا کلید زیر را در آن بنویسید:',
            'Scan this code with the app, or type this key into it:',
          )}
        </p>
        <p class="panel">
          <code dir="ltr">{secret.replace(/(.{4})/g, '$1 ').trim()}</code>
        </p>
        <p class="muted">
          <code dir="ltr">{uri}</code>
        </p>
      </div>
    </div>
  );
}
