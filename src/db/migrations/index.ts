/** Every migration, in order; generated files are listed here because Node 20 cannot glob them. */
import { Migration20261123193751_initial } from './Migration20261123193751_initial';

export const migrationsList = [
  { name: 'Migration20261123193751_initial', class: Migration20261123193751_initial },
];
