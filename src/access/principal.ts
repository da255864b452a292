/**
 * Acting as a principal outside the CLI's flags: a declared principal by
 * name, or a principal described in full (an SSO user, a CI job), with
 * declared roles only; and the report reader that makes a check report show
 * only what that principal may see (`check --as P`).
 */
import type { PolicySet } from '../policy/types.js';
import { AssayError } from '../util/diagnostics.js';
import { suggest } from '../util/did-you-mean.js';
import { decideAccess, type AccessDecision } from './decide.js';
import { maskKeyFromEnv } from './masks.js';
import { buildAccessModel, type AccessModel, type Principal } from './model.js';
import { datasetsHashedFor, principalReader, type Reader } from './reader.js';

/** A declared principal's name, or a described principal whose roles are all declared. */
export function principalFor(policy: PolicySet, principal: string | Principal): Principal {
  return principalIn(buildAccessModel(policy), principal);
}

function principalIn(model: AccessModel, principal: string | Principal): Principal {
  if (typeof principal === 'string') {
    const declared = model.principals.get(principal);
    if (declared) return declared;
    const names = [...model.principals.keys()];
    throw new AssayError('usage', `unknown principal "${principal}"`, names.length > 0 ? suggest(principal, names) : 'declare it under principals: in a kind: access document');
  }
  for (const role of principal.roles) {
    if (!model.roles.includes(role)) throw new AssayError('usage', `unknown role "${role}" of principal "${principal.name}"`, model.roles.length > 0 ? suggest(role, model.roles) : 'declare roles in a kind: access document');
  }
  return principal;
}

/**
 * The report reader `principal`: samples, observed values and messages as the
 * principal may see them, for the checked datasets (default all). The hash
 * mask's key (ASSAY_MASK_KEY) is required up front when the principal would
 * see hashes.
 */
export function readerAs(policy: PolicySet, principal: Principal, options: { datasets?: string[]; env?: NodeJS.ProcessEnv } = {}): Reader {
  const model = buildAccessModel(policy);
  const only = options.datasets ?? [];
  const checked = policy.datasets.filter((d) => only.length === 0 || only.includes(d.name));
  const hashed = datasetsHashedFor(model, principal, checked);
  const key = hashed.length > 0 ? maskKeyFromEnv(options.env ?? process.env, `the view of ${principal.name} on ${hashed.join(', ')}`) : undefined;
  return principalReader(model, principal, key);
}

/** What `principal` may see of the dataset named `dataset`, from the access policies alone (no data is read). */
export function decideDatasetAccess(policy: PolicySet, principal: string | Principal, dataset: string): AccessDecision {
  const model = buildAccessModel(policy);
  const spec = policy.datasets.find((d) => d.name === dataset);
  if (!spec) {
    const names = policy.datasets.map((d) => d.name);
    throw new AssayError('usage', `unknown dataset "${dataset}"`, names.length > 0 ? suggest(dataset, names) : 'no datasets are declared');
  }
  return decideAccess(model, principalIn(model, principal), spec);
}
