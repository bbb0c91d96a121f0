import type { Em, Orm } from '../db/orm';

/**
 * An entity manager for background work (dispatch, jobs): its statements are logged with the `(background)` label,
 * so logs tell them apart from requests' and a test counting a request's statements can leave them out.
 */
export function backgroundEm(orm: Orm): Em {
  return orm.em.fork({ loggerContext: BACKGROUND }) as Em;
}

/** Pass as `em.execute(sql, params, 'all', BACKGROUND)`: raw statements take no logger context from their em. */
export const BACKGROUND = { label: 'background' };
