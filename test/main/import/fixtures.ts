import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared DS fixtures (outside the repo: ../shared beside it). */
export const FIXTURES = resolve(__dirname, '../../../../shared/fixtures/ds');

interface AnswerKey {
  count: number;
  dossiers: { id: number; region: string; late: boolean; incomplete: boolean; partners: number; files: number; avis: number }[];
}
export function fixtureFiles(folder: string): string[] {
  return readdirSync(join(FIXTURES, folder))
    .filter((f) => /\.(csv|xlsx|json)$/.test(f) && f !== 'answer-key.json')
    .map((f) => join(FIXTURES, folder, f));
}
export function answerKey(folder: string): AnswerKey {
  return JSON.parse(readFileSync(join(FIXTURES, folder, 'answer-key.json'), 'utf8')) as AnswerKey;
}

