import { GraphQLError, validate, type GraphQLSchema, type DocumentNode, type ValidationContext, type GraphQLField, getNamedType, getNullableType, isListType, isInputObjectType } from 'graphql';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { QueryLimits } from '../config';
import { AppError } from '../shared/errors';
import { DEFAULT_PAGE_SIZE } from '../shared/pagination';

/** How many items a paged field asks for: `first` given as an argument or inside `input`, else the argument's default, else 20. */
function pageSize(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number | undefined {
  const firstArg = field.args.find((arg) => arg.name === 'first');
  const inputType = field.args.find((arg) => arg.name === 'input')?.type;
  const inputObject = inputType ? getNamedType(inputType) : undefined;
  const inputHasFirst = isInputObjectType(inputObject) && 'first' in inputObject.getFields();
  if (!firstArg && !inputHasFirst) return undefined;
  const input = args.input as Record<string, unknown> | undefined;
  const given = typeof args.first === 'number' ? args.first : typeof input?.first === 'number' ? input.first : undefined;
  return given !== undefined && given > 0 ? given : DEFAULT_PAGE_SIZE;
}

/**
 * Cost of a field: 1 plus its children, multiplied by how many items it can return — `first` (default 20) for
 * connections and for plain lists that take `first` (`mentorMatches(input: { first })`, `similarCommunities`), the
 * number of IDs for `nodes`. Nested lists therefore multiply, as their SQL does.
 */
const pagedCost: ComplexityEstimator = ({ type: parent, field, args, childComplexity }) => {
  const base = BASE_COST[`${parent.name}.${field.name}`] ?? 0;
  return base + itemsCost(field, args, childComplexity);
};

/**
 * Work the database does whatever the page size, added once to the field's cost: a full-text search matches and
 * ranks every hit before it pages (and counts them), matching scores every mentor profile. Without it a search
 * asking for one count would cost 2 points and an anonymous client could run thousands a minute.
 */
const BASE_COST: Record<string, number> = { 'Query.search': 50, 'Query.mentorMatches': 20 };

function itemsCost(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, childComplexity: number): number {
  const type = getNamedType(field.type);
  const children = Math.max(childComplexity, 1);
  if (type.name.endsWith('Connection')) {
    const first = typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + first * children;
  }
  if (Array.isArray(args.ids)) return 1 + args.ids.length * children;
  if (isListType(getNullableType(field.type))) {
    const size = pageSize(field, args);
    if (size !== undefined) return 1 + size * children;
  }
  return 1 + childComplexity;
}

const report = (context: ValidationContext | null, error: GraphQLError) => context?.reportError(error);

const tooComplex = (message: string) => new AppError('QUERY_TOO_COMPLEX', message, { http: { status: 400 } });

/**
 * Checks depth, aliases and cost of an operation; throws QUERY_TOO_COMPLEX before anything executes. Returns the
 * cost, which is also what the operation spends of its rate limit budget (1 when variables do not coerce).
 */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  limits: QueryLimits,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): number {
  let shapeErrors: readonly GraphQLError[];
  try {
    shapeErrors = validate(schema, document, [
      maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, propagateOnRejection: false, exposeLimits: true, onReject: [report] }),
      maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, exposeLimits: true, onReject: [report] }),
    ]);
  } catch (error) {
    shapeErrors = [error instanceof GraphQLError ? error : new GraphQLError('Query shape rejected')];
  }
  if (shapeErrors.length > 0) throw tooComplex(shapeErrors[0]!.message.replace(/^Syntax Error: /, ''));
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName: operationName ?? undefined,
      estimators: [pagedCost],
    });
  } catch {
    // Variables that do not coerce: execution reports them as BAD_USER_INPUT right after this.
    return 1;
  }
  if (cost > limits.maxCost) {
    throw tooComplex(`Query cost ${cost} exceeds the limit of ${limits.maxCost}; ask for fewer items (first) or fewer nested lists`);
  }
  return Math.max(cost, 1);
}

/** Called with each accepted operation's cost, before it executes (the rate limit spends it; throwing refuses it). */
export type OnCost<C extends BaseContext> = (cost: number, request: GraphQLRequestContextDidResolveOperation<C>) => Promise<void>;

/**
 * Apollo plugin: limits run once the operation is parsed and validated, before execution. Apollo reuses the
 * parsed document for a repeated query string, so accepted (document, variables) pairs and their costs are
 * remembered. `onCost` gets every accepted operation's cost (the rate limit), so it is computed once.
 */
export function queryLimitsPlugin<C extends BaseContext>(limits: QueryLimits, onCost?: OnCost<C>): ApolloServerPlugin<C> {
  const accepted = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          const { schema, document, request, operationName } = requestContext;
          const key = `${operationName ?? ''}:${JSON.stringify(request.variables ?? {})}`;
          const known = accepted.get(document);
          let cost = known?.get(key);
          if (cost === undefined) {
            cost = checkQueryLimits(schema, document, limits, request.variables, operationName);
            const map = known ?? new Map<string, number>();
            if (map.size < 100) map.set(key, cost);
            accepted.set(document, map);
          }
          await onCost?.(cost, requestContext);
        },
      };
    },
  };
}
