/** Group commit: writes asked for together share one commit, each caller gets its own result. */
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/engine/group-commit.js';

function recording<T>(answer: (items: T[]) => Promise<unknown[]>) {
  const batches: T[][] = [];
  const commit = async (items: T[]) => {
    batches.push([...items]);
    return answer(items);
  };
  return { batches, commit };
}

describe('GroupCommit', () => {
  it('commits the writes of one turn of the event loop together and answers each caller its own result', async () => {
    const { batches, commit } = recording<number>(async (items) => items.map((n) => n * 10));
    const group = new GroupCommit(commit, { maxBatch: 100 });
    const results = await Promise.all([1, 2, 3].map((n) => group.write(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('splits by weight at maxBatch, and an item heavier than the batch still goes alone', async () => {
    const { batches, commit } = recording<number[]>(async (items) => items.map((i) => i.length));
    const group = new GroupCommit(commit, { maxBatch: 4, weight: (items) => items.length });
    const results = await Promise.all([[1, 2], [3, 4], [5], [6, 7, 8, 9, 10], [11]].map((i) => group.write(i)));
    expect(results).toEqual([2, 2, 1, 5, 1]);
    expect(batches.map((b) => b.flat())).toEqual([[1, 2, 3, 4], [5, 6, 7, 8, 9, 10], [11]]);
  });

  it('a failed commit fails only its own batch; the writer goes on', async () => {
    let fail = true;
    const group = new GroupCommit<string, string>(
      async (items) => {
        if (fail) throw new Error('disk full');
        return items.map((s) => s.toUpperCase());
      },
      { maxBatch: 10 },
    );
    const first = await Promise.allSettled([group.write('a'), group.write('b')]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await group.write('c')).toBe('C');
  });

  it('writes asked for while a batch commits form the next batch', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { batches, commit } = recording<number>(async (items) => {
      if (items[0] === 1) await gate;
      return items;
    });
    const group = new GroupCommit(commit, { maxBatch: 10 });
    const first = group.write(1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const later = [group.write(2), group.write(3)];
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(batches).toEqual([[1], [2, 3]]);
  });
});
