/** The controls declared in `kind: controls` documents, and who cites them. */
import type { PolicySet } from '../policy/types.js';

export interface DeclaredControl {
  id: string;
  framework: string;
  control: string;
  title: string;
}

/** Every declared control, in declaration order (a later duplicate is ignored). */
export function declaredControls(policy: PolicySet): DeclaredControl[] {
  const out = new Map<string, DeclaredControl>();
  for (const doc of policy.controls) {
    for (const [framework, controls] of Object.entries((doc.frameworks ?? {}) as Record<string, Record<string, unknown>>)) {
      for (const [control, value] of Object.entries(controls ?? {})) {
        const id = `${framework}.${control}`;
        if (out.has(id)) continue;
        const title = typeof value === 'string' ? value : String((value as { title?: string } | null)?.title ?? '');
        out.set(id, { id, framework, control, title });
      }
    }
  }
  return [...out.values()];
}

/** Access policy name → the controls it cites (`policies[].controls`). */
export function accessPolicyControls(policy: PolicySet): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const doc of policy.access) {
    for (const p of (doc.policies ?? []) as { name?: string; controls?: string[] }[]) {
      if (typeof p.name === 'string' && Array.isArray(p.controls)) out.set(p.name, [...(out.get(p.name) ?? []), ...p.controls]);
    }
  }
  return out;
}
