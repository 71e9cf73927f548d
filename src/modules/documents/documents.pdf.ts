// Renders a result document as a PDF: Vazirmatn (self-hosted) for Persian and English, OpenType
// shaping by fontkit (inside pdfkit), the Unicode bidi algorithm (bidi-js) for right-to-left lines with
// numbers and Latin inside, and a vector QR code pointing at the verification page.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import * as fontkit from 'fontkit';
import bidiModule, { type Bidi } from 'bidi-js';
import QRCode from 'qrcode';
import { formatDate, tr, type Lang } from '../../platform/i18n.ts';
import { formatCode } from './documents.code.ts';

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('vazirmatn/package.json')), 'fonts', 'ttf');
// Parsed once per process and shared by every document: parsing the font's tables per document was most
// of a PDF's cost (measured 53 -> see bench/RESULTS.md). pdfkit still embeds only the glyphs a document uses.
const openFont = (file: string) =>
  fontkit.create(fs.readFileSync(path.join(FONT_DIR, file))) as unknown as Parameters<PDFKit.PDFDocument['registerFont']>[1];
const REGULAR = openFont('Vazirmatn-Regular.ttf');
const BOLD = openFont('Vazirmatn-Bold.ttf');
// bidi-js is CommonJS whose module.exports is the factory; its types describe it as an ES default export.
const bidi = (bidiModule as unknown as () => Bidi)();
// fontkit lays a run out right to left when it contains Arabic-script characters, Persian digits included.
const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

export interface PdfInput {
  code: string;
  lang: Lang;
  kind: 'certificate' | 'licence' | 'letter';
  agencyName: string;
  title: string;
  holderName: string;
  fields: { label: string; value: string }[];
  issuedAt: Date;
  verifyUrl: string;
}

type Doc = PDFKit.PDFDocument;
type Font = 'regular' | 'bold';
const OPTS = { lineBreak: false, features: [] as PDFKit.Mixins.OpenTypeFeatures[] };

/** Visual runs of one line, left to right, each with the text fontkit should be given. */
function visualRuns(text: string, base: 'rtl' | 'ltr'): string[] {
  const emb = bidi.getEmbeddingLevels(text, base);
  const runs: { s: string; level: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const level = emb.levels[i];
    // fontkit reverses right-to-left runs but does not mirror brackets: do it here (UAX #9 L4).
    const c = (level % 2 === 1 && bidi.getMirroredCharacter(text[i])) || text[i];
    const last = runs[runs.length - 1];
    if (last && last.level === level) last.s += c;
    else runs.push({ s: c, level });
  }
  // UAX #9 L2: from the highest level down to the lowest odd level, reverse every sequence at or above it.
  const levels = runs.map((r) => r.level);
  const lowestOdd = Math.min(...levels.filter((l) => l % 2 === 1), Infinity);
  for (let lv = Math.max(...levels); lv >= lowestOdd; lv--) {
    for (let i = 0; i < runs.length;) {
      if (runs[i].level < lv) {
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j].level >= lv) j++;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  }
  return runs.map((r) => {
    const rtl = r.level % 2 === 1;
    const fontkitRtl = ARABIC_SCRIPT.test(r.s);
    // A left-to-right run of Persian digits would be reversed by fontkit: give it reversed so it comes out right.
    // A right-to-left run of only neutrals (spaces, punctuation) is laid out left to right by fontkit: reverse it.
    return rtl === fontkitRtl ? r.s : [...r.s].reverse().join('');
  });
}

// Widths at font size 1, per font and text, shared by every document: shaping is most of a PDF's cost and
// the same agency names, labels and words recur. Bounded: cleared when it grows past WIDTH_CACHE_MAX entries.
const WIDTH_CACHE_MAX = 20_000;
const widths = new Map<string, number>();
function lineWidth(doc: Doc, text: string, font: Font, size: number): number {
  const key = `${font}\u0000${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    if (widths.size >= WIDTH_CACHE_MAX) widths.clear();
    w = doc.widthOfString(text, OPTS) / size;
    widths.set(key, w);
  }
  return w * size;
}

/**
 * Greedy word wrap on the logical text. Words are shaped on their own (Persian letters do not join across a
 * space), so a line's width is the sum of its words and spaces: each word is measured once, not every prefix.
 */
function wrap(doc: Doc, text: string, width: number, font: Font, size: number): string[] {
  const lines: string[] = [];
  const space = lineWidth(doc, ' ', font, size);
  for (const para of text.split('\n')) {
    const words = para.split(/\s+/).filter(Boolean);
    let line = '';
    let used = 0;
    for (const word of words) {
      const w = lineWidth(doc, word, font, size);
      if (line && used + space + w > width) {
        lines.push(line);
        line = word;
        used = w;
      } else {
        line = line ? `${line} ${word}` : word;
        used = line === word ? w : used + space + w;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Draws text in a box aligned to the start side of the language (right for fa); returns the new y. */
function drawText(
  doc: Doc,
  text: string,
  o: { x: number; y: number; width: number; lang: Lang; size: number; bold?: boolean; align?: 'start' | 'center'; color?: string },
): number {
  const font: Font = o.bold ? 'bold' : 'regular';
  doc
    .font(font)
    .fontSize(o.size)
    .fillColor(o.color ?? '#0b0c0c');
  const base = o.lang === 'fa' ? 'rtl' : 'ltr';
  let y = o.y;
  for (const line of wrap(doc, text, o.width, font, o.size)) {
    const runs = visualRuns(line, base);
    const widths = runs.map((r) => lineWidth(doc, r, font, o.size));
    const total = widths.reduce((a, b) => a + b, 0);
    let x = o.align === 'center' ? o.x + (o.width - total) / 2 : base === 'rtl' ? o.x + o.width - total : o.x;
    runs.forEach((r, i) => {
      doc.text(r, x, y, OPTS);
      x += widths[i];
    });
    y += o.size * 1.7;
  }
  return y;
}

function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / (n + 2);
  doc.save().rect(x, y, size, size).fill('#ffffff').fillColor('#000000');
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) doc.rect(x + (c + 1) * cell, y + (r + 1) * cell, cell, cell);
  doc.fill().restore();
}

const KIND = {
  certificate: { fa: 'گواهی', en: 'Certificate' },
  licence: { fa: 'پروانه', en: 'Licence' },
  letter: { fa: 'نامه', en: 'Letter' },
};

/** The PDF bytes of one document. */
export function renderDocumentPdf(d: PdfInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    lang: d.lang === 'fa' ? 'fa-IR' : 'en-GB',
    info: {
      Title: d.title,
      Author: d.agencyName,
      Subject: `${KIND[d.kind].en} ${formatCode(d.code)}`,
      Keywords: `panjereh-document:${d.code}`,
      Creator: 'Panjereh',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  const L = d.lang;
  const left = 56;
  const width = doc.page.width - 112;

  doc.rect(0, 0, doc.page.width, 10).fill('#1d70b8');
  let y = drawText(doc, d.agencyName, { x: left, y: 40, width, lang: L, size: 15, bold: true });
  y = drawText(doc, tr(L, 'پنجره ملی خدمات دولت', 'Panjereh – the government services window'), {
    x: left,
    y,
    width,
    lang: L,
    size: 10,
    color: '#505a5f',
  });
  doc
    .moveTo(left, y + 6)
    .lineTo(left + width, y + 6)
    .lineWidth(1)
    .stroke('#b1b4b6');
  y += 30;
  y = drawText(doc, KIND[d.kind][L], { x: left, y, width, lang: L, size: 12, color: '#505a5f' });
  y = drawText(doc, d.title, { x: left, y, width, lang: L, size: 22, bold: true });
  y += 10;
  y = drawText(doc, `${tr(L, 'صادرشده برای', 'Issued to')}: ${d.holderName}`, { x: left, y, width, lang: L, size: 13 });
  y += 8;
  for (const f of d.fields) {
    const labelY = y;
    y = drawText(doc, f.label, { x: left, y, width, lang: L, size: 10, color: '#505a5f' });
    y = drawText(doc, f.value, { x: left, y: Math.max(y - 4, labelY + 14), width, lang: L, size: 13, bold: true });
    y += 4;
  }
  y += 8;
  drawText(doc, `${tr(L, 'تاریخ صدور', 'Date of issue')}: ${formatDate(L, d.issuedAt)}`, { x: left, y, width, lang: L, size: 12 });

  // Footer: QR code on the end side, the code and how to verify on the start side.
  const qrSize = 96;
  const footerY = doc.page.height - 56 - qrSize;
  doc
    .moveTo(left, footerY - 14)
    .lineTo(left + width, footerY - 14)
    .lineWidth(1)
    .stroke('#b1b4b6');
  const qrX = L === 'fa' ? left : left + width - qrSize;
  drawQr(doc, d.verifyUrl, qrX, footerY, qrSize);
  const textX = L === 'fa' ? left + qrSize + 16 : left;
  const textW = width - qrSize - 16;
  let fy = drawText(doc, `${tr(L, 'کد سند', 'Document code')}: ${formatCode(d.code)}`, {
    x: textX,
    y: footerY,
    width: textW,
    lang: L,
    size: 13,
    bold: true,
  });
  fy = drawText(
    doc,
    tr(
      L,
      'برای اطمینان از اصالت این سند، رمزینه را بخوانید یا کد را در این نشانی وارد کنید:',
      'To check this document is genuine, scan the QR code or enter the code at:',
    ),
    { x: textX, y: fy, width: textW, lang: L, size: 9, color: '#505a5f' },
  );
  drawText(doc, d.verifyUrl, {
    x: textX,
    y: fy,
    width: textW,
    lang: 'en',
    size: 9,
    color: '#1d70b8',
    align: L === 'fa' ? 'start' : 'start',
  });
  doc.end();
  return done;
}
