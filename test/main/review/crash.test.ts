import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { openDatabase } from '../../../main/core/db/open';
import { verifyJournal } from '../../../main/core/review/audit';
import { getReview } from '../../../main/core/review/reviews';
import { freshStore } from './setup';

let cleanup = () => {};
afterEach(() => cleanup());

describe('killing the process mid-typing', () => {
  it('keeps every acknowledged save and a valid audit chain', async () => {
    const s = freshStore();
    cleanup = s.cleanup;
    const dossier = s.dossierIds[0]!;
    s.db.close();
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'crash-writer.ts'), s.path, String(dossier), String(s.alice)], {
      cwd: resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const lastAck = await new Promise<{ revision: number; chars: number }>((done, fail) => {
      let buffer = '';
      let last = { revision: 0, chars: 0 };
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          const m = /^saved (\d+) (\d+)$/.exec(line);
          if (m) last = { revision: Number(m[1]), chars: Number(m[2]) };
        }
        if (last.chars >= 40 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
          done(last);
        }
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') fail(new Error(`writer exited early (${code}): ${stderr}`));
      });
    });
    await new Promise((r) => child.once('close', r));
    const db = openDatabase(s.path);
    const review = getReview(db, dossier, s.alice)!;
    // Every acknowledged save is there (the writer may have committed a few more before the kill).
    expect(review.revision).toBeGreaterThanOrEqual(lastAck.revision);
    expect(review.content.scores.V1!.justification.length).toBeGreaterThanOrEqual(lastAck.chars);
    expect(verifyJournal(db).ok).toBe(true);
    db.close();
  });
});
