/** Limits shared by profiles, requests, matching and groups. */
export const TOPIC_MAX_LENGTH = 60;
export const MAX_TOPICS = 10;

/**
 * One spelling per topic, so "Information  Literacy" and "information literacy" are the same topic for matching
 * and for the rarity statistics: Unicode-normalised, trimmed, single spaces, lower-case.
 */
export function normalizeTopic(topic: string): string {
  return topic.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Normalised topics without duplicates, in the order given. */
export function normalizeTopics(topics: string[]): string[] {
  return [...new Set(topics.map(normalizeTopic).filter(Boolean))];
}
