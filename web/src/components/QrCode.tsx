import { useMemo } from 'react';
import QRCode from 'qrcode';

/**
 * A QR code drawn in the page as SVG, from the matrix the `qrcode` package computes here: the
 * secret never leaves the browser for an image service.
 */
export function QrCode({ value, label, size = 200 }: { value: string; label: string; size?: number }) {
  const { path, n } = useMemo(() => {
    const modules = QRCode.create(value, { errorCorrectionLevel: 'M' }).modules;
    const n = modules.size;
    let d = '';
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (modules.get(y, x)) d += `M${x + 4} ${y + 4}h1v1h-1z`;
    return { path: d, n };
  }, [value]);
  const box = n + 8; // a quiet zone of four modules around it
  return (
    <svg role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${box} ${box}`} shapeRendering="crispEdges" style={{ background: '#fff' }}>
      <path d={path} fill="#000" />
    </svg>
  );
}
