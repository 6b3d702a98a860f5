import { splitHighlights } from '../../../../shared/domain/highlight';

/** A search snippet: matched words in <mark>, everything as text nodes (the text is the applicant's). */
export function Highlighted({ snippet }: { snippet: string }) {
  return (
    <>
      {splitHighlights(snippet).map((part, i) => (part.highlight ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </>
  );
}
