import { Field, Int, ObjectType } from 'type-graphql';

/**
 * ts_headline marks matches with these two control characters. They cannot come from the document: the SQL strips
 * them from the text before highlighting, so every one of them in the result is ours.
 */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

@ObjectType({ description: 'A span of `text`, in UTF-16 code units (JavaScript string indices)' })
export class TextRange {
  @Field(() => Int)
  start!: number;

  @Field(() => Int)
  length!: number;
}

@ObjectType({
  description:
    'An excerpt of the matching text. `text` is plain text (never HTML: render it as text); `highlights` are the ' +
    'matched words in it. `html` is the same excerpt HTML-escaped, with each match in <mark></mark>, for clients that render HTML',
})
export class SearchSnippet {
  @Field()
  text!: string;

  @Field(() => [TextRange])
  highlights!: TextRange[];

  @Field()
  html!: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Turns a ts_headline result with our markers into plain text, highlight ranges and escaped HTML. */
export function parseHeadline(headline: string): SearchSnippet {
  let text = '';
  let html = '';
  let openedAt: number | null = null;
  const highlights: TextRange[] = [];
  // Split on the markers, keeping them; everything between is document text.
  for (const part of headline.split(/([\u0002\u0003])/)) {
    if (part === MATCH_START) {
      if (openedAt === null) {
        openedAt = text.length;
        html += '<mark>';
      }
    } else if (part === MATCH_END) {
      if (openedAt !== null) {
        if (text.length > openedAt) highlights.push({ start: openedAt, length: text.length - openedAt });
        openedAt = null;
        html += '</mark>';
      }
    } else {
      // One line of text: runs of whitespace (ts_headline leaves some where it skipped markup) become one space.
      const clean = part.replace(/[\u0000-\u001f\u007f\s]+/g, ' ');
      text += clean;
      html += escapeHtml(clean);
    }
  }
  if (openedAt !== null) {
    if (text.length > openedAt) highlights.push({ start: openedAt, length: text.length - openedAt });
    html += '</mark>';
  }
  return Object.assign(new SearchSnippet(), { text, html, highlights: highlights.map((h) => Object.assign(new TextRange(), h)) });
}
