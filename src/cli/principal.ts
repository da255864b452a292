/**
 * Who a command acts for: `--as NAME` names a principal declared under
 * `principals:`; `--as NAME --role R [--attr k=v]` describes one that is not
 * declared (e.g. a CI job or an SSO user), with declared roles only.
 * An unknown principal or role is a usage error (exit 2).
 */
import type { Argv } from 'yargs';
import type { AccessModel, AttributeValue, Principal } from '../access/model.js';
import type { DatasetSpec } from '../policy/types.js';
import { AssayError } from '../util/diagnostics.js';
import { suggest } from '../util/did-you-mean.js';
import { listOption } from './options.js';

export interface PrincipalArgs {
  as?: string;
  role?: string[];
  attr?: string[];
}

export function principalOptions<T>(y: Argv<T>, required: boolean): Argv<T & PrincipalArgs> {
  return y
    .option('as', { type: 'string', demandOption: required, describe: 'principal: a name under principals:, or any name with --role' })
    .option('role', { type: 'string', array: true, describe: 'role of an undeclared principal (repeatable)' })
    .option('attr', { type: 'string', array: true, describe: 'KEY=VALUE attribute of an undeclared principal (repeatable)' }) as unknown as Argv<T & PrincipalArgs>;
}

export function resolvePrincipal(args: PrincipalArgs, model: AccessModel): Principal {
  const name = args.as!;
  const roles = listOption(args.role);
  const attrs = args.attr ?? [];
  const declared = model.principals.get(name);
  if (roles.length === 0) {
    if (attrs.length > 0) throw new AssayError('usage', '--attr needs --role: attributes describe an undeclared principal', 'declare the principal under principals:, or give --role');
    if (!declared) {
      const names = [...model.principals.keys()];
      throw new AssayError('usage', `unknown principal "${name}"`, names.length > 0 ? `${suggest(name, names)}; or describe it with --role` : 'declare it under principals: in a kind: access document, or give --role');
    }
    return declared;
  }
  if (declared) throw new AssayError('usage', `principal "${name}" is declared under principals:; --role and --attr cannot change it`, `drop --role, or use another name`);
  for (const role of roles) {
    if (!model.roles.includes(role)) throw new AssayError('usage', `--role: unknown role "${role}"`, model.roles.length > 0 ? suggest(role, model.roles) : 'declare roles in a kind: access document');
  }
  return { name, roles, attributes: parseAttributes(attrs) };
}

function parseAttributes(values: string[]): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const key = value.slice(0, eq);
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new AssayError('usage', `--attr: expected KEY=VALUE, got "${value}"`, 'e.g. --attr region=EU');
    Object.defineProperty(out, key, { value: value.slice(eq + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** `--dataset NAME` must name a declared dataset. */
export function resolveDataset(name: string, datasets: DatasetSpec[]): DatasetSpec {
  const found = datasets.find((d) => d.name === name);
  if (found) return found;
  const names = datasets.map((d) => d.name);
  throw new AssayError('usage', `unknown dataset "${name}"`, names.length > 0 ? suggest(name, names) : 'no datasets are declared under the given paths');
}
