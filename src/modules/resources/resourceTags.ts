export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 40;

/** One tag as stored and compared: NFC, trimmed, lower-case, inner whitespace collapsed to one space. */
export const normalizeTag = (tag: string) => tag.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

/** Normalised, blanks dropped, duplicates (after normalising) dropped, first-use order kept. */
export const normalizeTags = (tags: string[]) => [...new Set(tags.map(normalizeTag).filter(Boolean))];
