import type { ReactNode } from 'react';
/**
 * A deliberately small Markdown subset for the shipped help documents (resources/docs/*.md):
 * headings, paragraphs, bullet and numbered lists, fenced code blocks, pipe tables, and inline
 * `code`, **bold** and [links](url) (shown as text followed by the address: the app never
 * navigates away). Everything becomes React text nodes: raw HTML in a document is shown as text,
 * never injected.
 */
export type Block = {
    kind: 'heading';
    level: number;
    text: string;
} | {
    kind: 'paragraph';
    text: string;
} | {
    kind: 'list';
    ordered: boolean;
    items: string[];
} | {
    kind: 'code';
    lang: string;
    text: string;
} | {
    kind: 'table';
    header: string[];
    rows: string[][];
};
export declare function parseMarkdown(source: string): Block[];
/** Inline `code`, **bold** and [text](url), as React nodes (text only, never HTML). */
export declare function renderInline(text: string): ReactNode[];
/** A document's blocks; headings start at `baseLevel` (the page keeps its own h1). */
export declare function MarkdownDocument({ source, baseLevel, codeLabel }: {
    source: string;
    baseLevel?: number;
    codeLabel: string;
}): import("react").JSX.Element;
