import { ValidateBy, type ValidationOptions } from 'class-validator';
import { badField } from './errors';

// PostgreSQL text cannot hold NUL (the driver fails, the client would get an internal error), and the other C0 control
// characters are never meant in text a member types; tab, line feed and carriage return are ordinary whitespace.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const NO_CONTROL_MESSAGE = 'must not contain control characters or unpaired surrogates';

// A UTF-16 surrogate without its pair is not text: PostgreSQL would store U+FFFD while the answer echoed the original.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True for a string with a control character other than tab, line feed or carriage return, or a lone surrogate. */
export const hasControlCharacter = (value: unknown): boolean => typeof value === 'string' && (CONTROL_CHARACTER.test(value) || LONE_SURROGATE.test(value));

// In a name (shown beside everything a member writes, in lists, mail subjects and notifications) C1 controls and
// the bidirectional controls that reorder what follows (U+202E makes "evil.exe" read "exe.live") can spoof; bodies
// keep them, as text that is displayed as typed.
const NAME_SPOOFING = /[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
export const NO_SPOOFING_MESSAGE = 'must not contain C1 control or bidirectional control characters';

/** Names (display names, community names): no C1 or bidirectional control characters. */
export const PlainName = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'plainName',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !NAME_SPOOFING.test(value),
        defaultMessage: () => NO_SPOOFING_MESSAGE,
      },
    },
    options,
  );

/**
 * Free text a member types (every string field of an input that reaches the database or a query): refuses control
 * characters, so they become BAD_USER_INPUT on that field instead of a database error. Non-strings are left to
 * `@IsString`; use `{ each: true }` on lists.
 */
export const NoControlCharacters = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'noControlCharacters',
      validator: {
        validate: (value: unknown) => !hasControlCharacter(value),
        defaultMessage: () => (options?.each ? `each item ${NO_CONTROL_MESSAGE}` : NO_CONTROL_MESSAGE),
      },
    },
    options,
  );

/**
 * The same rule for a plain `@Arg` string, which type-graphql does not run class-validator on: throws
 * BAD_USER_INPUT with `fieldErrors: [{ field, message }]`, the shape an input class gives.
 */
export function refuseControlCharacters(value: string | null | undefined, field: string): void {
  if (hasControlCharacter(value)) throw badField(field, NO_CONTROL_MESSAGE);
}
