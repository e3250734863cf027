import QRCode from "qrcode";

/**
 * The QR code for `text` as one SVG path in module units (1 unit = 1 module, y downwards), so the
 * PDF gets crisp vectors at any print size instead of a bitmap. Each row's dark modules are merged
 * into runs: fewer subpaths, a smaller file, and no hairline seams between neighbouring squares.
 * Error correction M (15%) survives a crease or a coffee ring without making the code dense.
 */
export function qrCodePath(text: string): { path: string; size: number } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      parts.push(`M${start} ${row}h${col - start}v1h${start - col}z`);
    }
  }
  return { path: parts.join(""), size: modules.size };
}
