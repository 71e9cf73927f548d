// A QR code drawn on the server as inline SVG (no script, no image request): `qrcode` computes the
// modules, this draws one path of unit squares with a quiet zone, black on white in either theme.
import QRCode from 'qrcode';

export function QrCode({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  let d = '';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
  return (
    <svg
      class="qr-code"
      role="img"
      aria-label={label}
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${n + 8} ${n + 8}`}
      width={size}
      height={size}
      shape-rendering="crispEdges"
    >
      <rect width={n + 8} height={n + 8} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
