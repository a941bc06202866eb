import { describe, expect, it } from 'vitest';
import type { PdfDocument } from '../../../../server/src/pdf/document.js';
import { createPdfRenderer } from '../../../../server/src/pdf/renderer.js';
import { pdfText } from './pdf-text.js';

const doc = (content: PdfDocument['content']): PdfDocument => ({ info: { title: 'Test', creationDate: new Date('2026-12-04T10:00:00Z') }, content });

describe('PDF renderer (pdfmake)', () => {
  const renderer = createPdfRenderer();

  it('renders German text with umlauts, ß and € in the embedded font', async () => {
    const line = 'Grüße aus Köln: Äpfel, Öl, Übermaß – 1.234,56\u00a0€ − 2 € (ẞ)';
    const pdf = await renderer.render(doc([line, { text: 'Fett: Größe ÄÖÜ äöü ß €', bold: true }, { text: 'Kursiv: Straße', italics: true }]));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const read = pdfText(pdf);
    expect(read.missingGlyphs).toBe(0);
    expect(read.text).toContain(line);
    expect(read.text).toContain('Fett: Größe ÄÖÜ äöü ß €');
    expect(read.text).toContain('Kursiv: Straße');
  });

  it('gives the same bytes for the same document, and can render a document twice', async () => {
    const d = doc([{ text: 'Z-2026-1', bold: true }, { table: { body: [['a', 'b']] } }]);
    const first = await renderer.render(d);
    const second = await renderer.render(d);
    expect(second.equals(first)).toBe(true);
    const later = await renderer.render({ ...d, info: { ...d.info, creationDate: new Date('2026-12-05T10:00:00Z') } });
    expect(later.equals(first)).toBe(false);
  });

  // The document type has no images or files; these reach pdfmake as a malicious or careless caller would.
  it('never reads a local file or fetches a URL', async () => {
    const raw = (extra: Record<string, unknown>) => ({ ...doc(['x']), ...extra });
    await expect(renderer.render(raw({ content: [{ image: '/etc/passwd' }] }))).rejects.toThrow(/Access to local file denied/);
    await expect(renderer.render(raw({ images: { logo: '/etc/hostname' }, content: [{ image: 'logo' }] }))).rejects.toThrow(/Access to local file denied/);
    await expect(renderer.render(raw({ images: { logo: 'https://example.invalid/logo.png' }, content: [{ image: 'logo' }] }))).rejects.toThrow(/Access to URL denied/);
    await expect(renderer.render(raw({ files: { leak: { src: '/etc/passwd' } } }))).rejects.toThrow(/Access to local file denied/);
    await expect(renderer.render(raw({ attachments: { leak: { src: 'http://127.0.0.1:1/x' } }, content: [{ attachment: 'leak' }] }))).rejects.toThrow(/Access to URL denied/);
  });
});
