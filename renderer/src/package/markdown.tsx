import type { ReactNode } from 'react';

/**
 * A deliberately small Markdown subset for the shipped help documents (resources/docs/*.md):
 * headings, paragraphs, bullet and numbered lists, fenced code blocks, pipe tables, and inline
 * `code`, **bold** and [links](url) (shown as text followed by the address: the app never
 * navigates away). Everything becomes React text nodes: raw HTML in a document is shown as text,
 * never injected.
 */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'table'; header: string[]; rows: string[][] };

const splitRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = /^(\s*)(```|~~~)\s*([\w-]*)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[2]!)) body.push(lines[i++]!);
      i++;
      blocks.push({ kind: 'code', lang: fence[3] ?? '', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      i++;
      continue;
    }
    if (line.trim().startsWith('|') && i + 1 < lines.length && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1]!)) {
      const header = splitRow(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.trim().startsWith('|')) rows.push(splitRow(lines[i++]!));
      blocks.push({ kind: 'table', header, rows });
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      const ordered = /\d/.test(item[1]!);
      const items: string[] = [];
      while (i < lines.length) {
        const m = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(lines[i]!);
        if (m) items.push(m[2]!);
        else if (lines[i]!.trim() !== '' && /^\s{2,}/.test(lines[i]!) && items.length > 0) items[items.length - 1] += ' ' + lines[i]!.trim();
        else break;
        i++;
      }
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      lines[i]!.trim() !== '' &&
      !/^(#{1,6}\s|\s*(```|~~~)|\s*([-*+]|\d+[.)])\s)/.test(lines[i]!) &&
      !lines[i]!.trim().startsWith('|')
    )
      para.push(lines[i++]!.trim());
    if (para.length === 0) {
      // A line no rule took (e.g. a lone "|"): shown as a paragraph of its own.
      para.push(lines[i++]!.trim());
    }
    blocks.push({ kind: 'paragraph', text: para.join(' ') });
  }
  return blocks;
}

/** Inline `code`, **bold** and [text](url), as React nodes (text only, never HTML). */
export function renderInline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  let key = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(<code key={key++}>{m[1]}</code>);
    else if (m[2] !== undefined) out.push(<strong key={key++}>{m[2]}</strong>);
    else out.push(<span key={key++}>{`${m[3]!} (${m[4]!})`}</span>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** A document's blocks; headings start at `baseLevel` (the page keeps its own h1). */
export function MarkdownDocument({ source, baseLevel = 2, codeLabel }: { source: string; baseLevel?: number; codeLabel: string }) {
  const blocks = parseMarkdown(source);
  return (
    <div className="ptce-doc">
      {blocks.map((b, i) => {
        switch (b.kind) {
          case 'heading': {
            const level = Math.min(6, baseLevel + b.level - 1);
            const Tag = `h${level}` as 'h2';
            return <Tag key={i}>{renderInline(b.text)}</Tag>;
          }
          case 'paragraph':
            return <p key={i}>{renderInline(b.text)}</p>;
          case 'list': {
            const Tag = b.ordered ? 'ol' : 'ul';
            return (
              <Tag key={i}>
                {b.items.map((item, j) => (
                  <li key={j}>{renderInline(item)}</li>
                ))}
              </Tag>
            );
          }
          case 'code':
            return (
              <pre key={i} aria-label={codeLabel} tabIndex={0}>
                <code>{b.text}</code>
              </pre>
            );
          case 'table':
            return (
              <div key={i} className="fr-table fr-table--bordered">
                <table>
                  <thead>
                    <tr>
                      {b.header.map((h, j) => (
                        <th key={j} scope="col">
                          {renderInline(h)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {b.rows.map((r, j) => (
                      <tr key={j}>
                        {r.map((c, k) => (
                          <td key={k}>{renderInline(c)}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
        }
      })}
    </div>
  );
}
