import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isIanaTimeZone } from '../../config';

/** An IANA time zone name the runtime knows ("America/Chicago"); offsets ("+01:00") and unknown names are refused. */
export const IsIanaTimeZone = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isIanaTimeZone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.length <= 64 && isIanaTimeZone(value),
        defaultMessage: () => 'must be an IANA time zone such as America/Chicago',
      },
    },
    options,
  );
