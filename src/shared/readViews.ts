import { ReferenceKind, type EntityClass, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import type { Em } from '../db/orm';

/**
 * Read-only views of entities, for pages that are only shown (the community feed, a thread's replies): the same
 * values MikroORM's hydration gives, on an object that is an `instanceof` the entity (its getters, `nodeId`, the
 * policies keyed by its class all work), but with no identity map entry, no change-tracking snapshot and no
 * EntityHelper state. A view's to-one relations are views holding only the `id`, as an unloaded reference would.
 *
 * A view is frozen and refuses to become managed: writing to it throws, and so does anything that would persist,
 * flush or wrap it (`wrap()`, `em.persist`, a cascade from a managed entity), so it can never be saved as a "new"
 * row or silently lose a change. Commands must read managed entities (loaders.byId); views never go there.
 */

interface ViewPlan {
  prototype: object;
  /** Mapped, loaded properties: how each value is read from a row that `driver.mapResult` keyed by property. */
  props: { name: string; convert: (value: unknown) => unknown }[];
}

const plans = new WeakMap<EntityMetadata, ViewPlan>();

export class ReadOnlyViewError extends Error {}

const VIEW = Symbol('readView');

function viewPrototype(meta: EntityMetadata, loaded: EntityProperty[]): object {
  const descriptors: PropertyDescriptorMap = {
    [VIEW]: { value: true },
    // MikroORM reaches an entity's state through `__helper` (wrap, persist, cascades, entity-valued conditions).
    __helper: {
      get() {
        throw new ReadOnlyViewError(`A read-only ${meta.className} view is not managed: read it through loaders.byId to change it`);
      },
      configurable: true,
    },
  };
  // Plain data slots shadow MikroORM's prototype setters (which would create the helper state on first assignment).
  for (const prop of loaded) descriptors[prop.name] = { value: undefined, writable: true, enumerable: false, configurable: true };
  return Object.create(meta.prototype as object, descriptors);
}

function converter(em: Em, prop: EntityProperty, referenceOf: (meta: EntityMetadata, id: unknown) => object): (value: unknown) => unknown {
  const platform = em.getPlatform();
  if (prop.kind === ReferenceKind.MANY_TO_ONE || prop.kind === ReferenceKind.ONE_TO_ONE) {
    const target = prop.targetMeta!;
    return (id) => (id == null ? null : referenceOf(target, id));
  }
  if (prop.customType) {
    const type = prop.customType;
    return (value) => (value == null ? null : type.convertToJSValue(value, platform, { mode: 'serialization' } as never));
  }
  if (prop.runtimeType === 'boolean') return (value) => (value == null ? null : !!value);
  if (prop.runtimeType === 'Date' && !platform.isNumericProperty(prop)) {
    // As MikroORM's hydrator reads a timestamp that comes as text (row_to_json) under forceUtcTimezone.
    const tz = platform.getTimezone();
    return (value) => {
      if (value == null) return null;
      if (value instanceof Date) return value;
      const text = value as string | number;
      if (!tz || tz === 'local' || typeof text === 'number' || text.includes('+') || text.lastIndexOf('-') > 10 || text.endsWith('Z')) return new Date(text);
      return new Date(text + tz);
    };
  }
  return (value) => value ?? null;
}

function planFor(em: Em, meta: EntityMetadata): ViewPlan {
  let plan = plans.get(meta);
  if (plan) return plan;
  const loaded = meta.props.filter(
    (prop) =>
      prop.persist !== false &&
      !prop.lazy &&
      (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)),
  );
  plan = { prototype: viewPrototype(meta, loaded), props: [] };
  plans.set(meta, plan);
  plan.props = loaded.map((prop) => ({ name: prop.name, convert: converter(em, prop, (target, id) => referenceView(em, target, id)) }));
  return plan;
}

function referenceView(em: Em, meta: EntityMetadata, id: unknown): object {
  const view = Object.create(planFor(em, meta).prototype) as Record<string, unknown>;
  view[meta.primaryKeys[0]!] = id;
  return Object.freeze(view);
}

/** A read-only view of one database row (column names as in the table, e.g. from `select t.*` or `row_to_json`). */
export function readView<T extends object>(em: Em, entity: EntityClass<T>, row: Record<string, unknown>): T {
  const meta = em.getMetadata().get(entity);
  const plan = planFor(em, meta);
  const data = em.getDriver().mapResult(row as never, meta) as Record<string, unknown>;
  const view = Object.create(plan.prototype) as Record<string, unknown>;
  for (const { name, convert } of plan.props) {
    const value = data[name];
    if (value !== undefined) view[name] = convert(value);
  }
  return Object.freeze(view) as T;
}

/** Whether `value` is a read-only view (not an entity some EntityManager manages). */
export function isReadView(value: object): boolean {
  return (value as { [VIEW]?: boolean })[VIEW] === true;
}
