import { ProgressBar, renderBar } from '../../src/cli/progress.js';

function fakeTerminal() {
  let time = 0;
  const writes: string[] = [];
  return { writes, tick: (ms: number) => (time += ms), options: { write: (t: string) => writes.push(t), now: () => time } };
}

test('renderBar fills in proportion to the work done', () => {
  expect(renderBar(0, 4, 'checking a', 8)).toBe('[--------] 0/4 checking a');
  expect(renderBar(1, 4, 'checking b', 8)).toBe('[##------] 1/4 checking b');
  expect(renderBar(4, 4, 'done', 8)).toBe('[########] 4/4 done');
  expect(renderBar(0, 0, 'nothing', 4)).toBe('[----] 0/0 nothing');
});

test('nothing is drawn during the first second', () => {
  const t = fakeTerminal();
  const bar = new ProgressBar({ ...t.options, width: 4 });
  bar.update(0, 2, 'checking orders');
  t.tick(999);
  bar.update(1, 2, 'checking customers');
  bar.finish();
  expect(t.writes).toEqual([]);
});

test('after a second the bar is drawn in place and erased at the end', () => {
  const t = fakeTerminal();
  const bar = new ProgressBar({ ...t.options, width: 4 });
  bar.update(0, 2, 'checking orders');
  t.tick(1000);
  bar.update(1, 2, 'checking customers');
  bar.finish();
  expect(t.writes).toEqual(['\r\u001b[2K[##--] 1/2 checking customers', '\r\u001b[2K']);
});

test('the timer draws the bar when one slow step sends no new event', async () => {
  const writes: string[] = [];
  const bar = new ProgressBar({ write: (t) => writes.push(t), delayMs: 20, width: 4 });
  bar.update(0, 1, 'checking big');
  await new Promise((resolve) => setTimeout(resolve, 80));
  bar.finish();
  expect(writes).toEqual(['\r\u001b[2K[----] 0/1 checking big', '\r\u001b[2K']);
});

test('nothing is drawn after finish', async () => {
  const writes: string[] = [];
  const bar = new ProgressBar({ write: (t) => writes.push(t), delayMs: 10 });
  bar.finish();
  bar.update(1, 1, 'late');
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(writes).toEqual([]);
});
