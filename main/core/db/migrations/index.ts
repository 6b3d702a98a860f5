import type { Database } from 'better-sqlite3';
import { up as initial } from './001-initial';
import { up as dsImport } from './002-import';
import { up as reviews } from './003-reviews';
import { up as keys } from './004-keys';
import { up as reviewTotals } from './005-review-totals';
import { up as committee } from './006-committee';
import { up as contributions } from './007-contributions';
import { up as meetings } from './008-meetings';
import { up as importStorage } from './009-import-storage';
import { up as listPerf } from './010-list-perf';
import { up as phase2Order } from './011-phase2-order';
import { up as searchDeferral } from './012-search-deferral';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

/** Numbered migrations, applied in order; never edit one that has shipped — add the next. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', up: initial },
  { version: 2, name: 'ds-import', up: dsImport },
  { version: 3, name: 'reviews', up: reviews },
  { version: 4, name: 'keys', up: keys },
  { version: 5, name: 'review-totals', up: reviewTotals },
  { version: 6, name: 'committee', up: committee },
  { version: 7, name: 'contributions', up: contributions },
  { version: 8, name: 'meetings', up: meetings },
  { version: 9, name: 'import-storage', up: importStorage },
  { version: 10, name: 'list-perf', up: listPerf },
  { version: 11, name: 'phase2-order', up: phase2Order },
  { version: 12, name: 'search-deferral', up: searchDeferral },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
