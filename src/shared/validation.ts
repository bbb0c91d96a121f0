import { ValidateBy, type ValidationOptions } from 'class-validator';
import { badField } from './errors';

// PostgreSQL text cannot hold NUL (the driver fails, the client would get an internal error), and the other control
// characters are never meant in text a member types; tab, line feed and carriage return are ordinary whitespace.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const NO_CONTROL_MESSAGE = 'must not contain control characters';

/** True for a string with a control character other than tab, line feed or carriage return. */
export const hasControlCharacter = (value: unknown): boolean => typeof value === 'string' && CONTROL_CHARACTER.test(value);

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
