import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * Decodes a text export: strip a UTF-8 BOM, then strict UTF-8, else Windows-1252 through
 * iconv-lite (Node's TextDecoder maps 0x80–0x9F to C1 controls instead of € ’ œ …).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  let body = bytes;
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // isUtf8 validates strictly (like a fatal TextDecoder) several times faster; toString then decodes it.
  if (isUtf8(buffer)) return { text: buffer.toString('utf8'), encoding: 'utf-8' };
  return { text: iconv.decode(buffer, 'win1252'), encoding: 'windows-1252' };
}

export function decode(bytes: Uint8Array): string {
  return decodeText(bytes).text;
}

/** The delimiter of a CSV, sniffed on its header line (outside quotes): `;`, tab or `,`. */
export function sniffDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}
