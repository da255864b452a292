/**
 * yargs' validation messages, rewritten into assay's one-line shape
 * (`unknown option "--x"`, `--fail-on: invalid value "never" (expected …)`)
 * with a hint that names the help to read.
 */
import { AssayError } from '../util/diagnostics.js';

/** Turn a yargs failure message into a usage error; `argv` is what the user typed. */
export function usageError(message: string, argv: string[], commands: string[]): AssayError {
  const command = argv.find((a) => !a.startsWith('-'));
  const known = command !== undefined && commands.includes(command);
  const help = known ? `run assay ${command} --help` : 'run assay --help';

  const recommended = /^Did you mean (\S+)\?$/.exec(message);
  if (recommended) return new AssayError('usage', `unknown command "${command}" (did you mean "${recommended[1]}"?)`, 'run assay --help');

  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) {
    const listed = unknown[1].split(', ');
    // yargs lists `--fail-on` also as its camelCase alias `failOn`.
    const kebab = (n: string) => n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const names = listed.filter((n) => !(/[A-Z]/.test(n) && listed.includes(kebab(n))));
    if (!known && command !== undefined && names.includes(command)) {
      return new AssayError('usage', `unknown command "${command}"`, `use one of ${commands.join(', ')}; run assay --help`);
    }
    const typed = (n: string) => argv.find((a) => a === n || new RegExp(`^--?(no-)?${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(=|$)`).test(a))?.split('=')[0] ?? n;
    const shown = names.map((n) => `"${typed(n)}"`);
    const what = names.every((n) => argv.includes(n)) ? 'argument' : 'option';
    return new AssayError('usage', `unknown ${what}${names.length > 1 ? 's' : ''} ${shown.join(', ')}`, help);
  }

  const invalid = /^Invalid values:\s*Argument: (\S+), Given: (.*), Choices: (.*)$/s.exec(message);
  if (invalid) {
    const given = invalid[2] === 'true' ? 'no value' : `invalid value ${invalid[2]}`;
    return new AssayError('usage', `--${invalid[1]}: ${given} (expected one of ${invalid[3].trim()})`, help);
  }

  const notEnough = /^Not enough arguments following: (\S+)$/.exec(message);
  if (notEnough) return new AssayError('usage', `--${notEnough[1]} needs a value`, help);

  // Anything else yargs says, on one line.
  return new AssayError('usage', message.replace(/\s*\n\s*/g, '; ').replace(/^./, (c) => c.toLowerCase()), help);
}
