/**
 * The datasets a run reads, each read once: the checked ones, the ones that
 * reference and reconcile checks read, or both. Reading a dataset computes
 * its own measures and, in the same pass, what other datasets ask of it (key
 * sets for reference checks, metrics for reconcile checks); the results are
 * kept for the run, the rows are not. A dataset that cannot be read is tried
 * once, and every check that needs it ends `error` with the reader's message.
 *
 * Order: the pipeline checks the datasets others read first, so each one's
 * key sets are ready when needed. A dataset whose reference checks read its
 * own key set (a self-reference, or a cycle of references) cannot have the
 * set before its own read, so that set comes from one extra read.
 */
import { resolveConnection } from './engine/connections.js';
import { RunSessions, type DatasetResults, type EngineName, type ErrorResult, type ExecuteRequest, type Executor, type KeySets, type KeysResult, type MeasureResult } from './engine/executor.js';
import { executorForConnection, executorNamed, IN_PROCESS } from './engine/executors.js';
import { Unsupported } from './engine/sql/sql.js';
import type { ForeignResults } from './evaluate.js';
import { dependenciesOf, keySetKey, keySetsNeeded, measureKey, type DatasetPlan, type Measure, type Plan } from './plan/plan.js';
import { isTableSource, type ConnectionSpec, type DatasetSpec, type FileSource } from './policy/types.js';
import { DEFAULT_BATCH_ROWS, type DataStream } from './sources/stream.js';
import { AssayError, errorMessage } from './util/diagnostics.js';

/** A dataset's measured results and its (drained) stream, or why it could not be read. */
export type ExecuteOutcome = { kind: 'executed'; results: DatasetResults; stream: DataStream; engine: EngineReport } | { kind: 'unreadable'; message: string };

/** The report's `engine` field (SPEC §5.1): which executor measured a dataset, and how many of its checks ran in the engine. */
export interface EngineReport {
  name: EngineName;
  pushed_down: number;
  pulled: number;
}

export interface StoreOptions {
  /** `--data NAME=PATH`, for checked and referenced datasets alike. */
  overrides?: Record<string, string>;
  /** Rows in memory by dataset name (the library API), read instead of the dataset's files. */
  records?: Record<string, readonly object[]>;
  batchRows?: number;
  /** The executor for file sources (`--engine`); tables go to their connection's. */
  engine?: EngineName;
  /** `--connection NAME=URL`. */
  connectionOverrides?: Record<string, string>;
  connections?: readonly ConnectionSpec[];
  /** `--pull`: what a table's engine cannot measure is measured in-process over only the columns it needs. */
  pull?: boolean;
  /**
   * Rows a report reader may see, per dataset (`check --as P`: P's row
   * filters, bound): samples are picked among them only, so P sees up to
   * `samples` failing rows of their own. `false`: none; undefined or null: all.
   */
  sampleFilter?: (dataset: DatasetSpec) => string | false | null;
  /** Keep every failing row of each row check, not only its `samples` (`--failed-rows`); memory grows with them. */
  allFailingRows?: boolean;
}

/** The executor that measured a dataset; `fallback` says why the one asked for (`--engine`) did not. */
export interface EngineUsed {
  engine: EngineName;
  fallback?: string;
}

export class DatasetStore {
  private readonly plans = new Map<string, DatasetPlan>();
  private readonly executions = new Map<string, Promise<ExecuteOutcome>>();
  private readonly keyOnlyReads = new Map<string, Promise<ExecuteOutcome>>();
  /** Datasets being read now (a count: a key-set-only read may nest inside the dataset's own). */
  private readonly inProgress = new Map<string, number>();
  /** Datasets that could not be read, with the reader's message (exit 3). */
  readonly unreadable = new Map<string, string>();
  /** Reads of each dataset's data (samples excluded), for tests and the closing note. */
  readonly reads = new Map<string, number>();
  /** The executor that measured each dataset. */
  readonly engines = new Map<string, EngineUsed>();
  /** Database connections opened for this run (one per connection). */
  private readonly sessions = new RunSessions();

  constructor(
    plan: Plan,
    private readonly specs: readonly DatasetSpec[],
    private readonly options: StoreOptions = {},
  ) {
    for (const p of [...plan.datasets, ...plan.referenced]) this.plans.set(p.name, p);
  }

  /** Close what the run opened (database connections). */
  close(): Promise<void> {
    return this.sessions.closeAll();
  }

  /** Read and measure a dataset once (its own measures and those others asked for). */
  execute(name: string): Promise<ExecuteOutcome> {
    let pending = this.executions.get(name);
    if (!pending) {
      pending = this.run(name, this.plans.get(name));
      this.executions.set(name, pending);
    }
    return pending;
  }

  /** The key sets a dataset's reference checks read, measuring the referenced datasets as needed. */
  async keySetsFor(plan: DatasetPlan): Promise<KeySets> {
    const out = new Map<string, KeysResult | ErrorResult>();
    for (const ref of keySetsNeeded(plan)) {
      const outcome = await ((this.inProgress.get(ref.dataset) ?? 0) > 0 ? this.readKeySetsOnly(ref.dataset) : this.execute(ref.dataset));
      const key = keySetKey(ref);
      if (outcome.kind === 'unreadable') {
        out.set(key, { kind: 'error', message: outcome.message });
        continue;
      }
      const result = outcome.results.measures.get(measureKey({ kind: 'key_set', column: ref.column }));
      if (result?.kind === 'keys') out.set(key, result);
      else out.set(key, { kind: 'error', message: `referenced dataset "${ref.dataset}": ${result?.kind === 'error' ? result.message : `no key set for "${ref.column}"`}` });
    }
    return out;
  }

  /** Measured results of the other datasets a dataset's reconcile checks read. */
  async foreignFor(plan: DatasetPlan): Promise<ForeignResults> {
    const out = new Map<string, ReadonlyMap<string, MeasureResult>>();
    for (const { dataset, key } of plan.checks.flatMap((c) => Object.values(c.foreign ?? {}))) {
      const outcome = await this.execute(dataset);
      if (outcome.kind === 'executed') {
        out.set(dataset, outcome.results.measures);
      } else {
        const errors = (out.get(dataset) as Map<string, MeasureResult> | undefined) ?? new Map<string, MeasureResult>();
        errors.set(key, { kind: 'error', message: outcome.message });
        out.set(dataset, errors);
      }
    }
    return out;
  }

  /** A read for key sets only, when the dataset is itself being measured (self-reference, cycles). */
  private readKeySetsOnly(name: string): Promise<ExecuteOutcome> {
    let pending = this.keyOnlyReads.get(name);
    if (!pending) {
      const plan = this.plans.get(name);
      const measures: Record<string, Measure> = {};
      for (const [key, m] of Object.entries(plan?.measures ?? {})) if (m.kind === 'key_set') measures[key] = m;
      pending = this.run(name, plan && { ...plan, measures, checks: [] });
      this.keyOnlyReads.set(name, pending);
    }
    return pending;
  }

  private async run(name: string, plan: DatasetPlan | undefined): Promise<ExecuteOutcome> {
    const spec = this.specs.find((d) => d.name === name);
    if (!spec || !plan) return { kind: 'unreadable', message: `dataset "${name}" is not declared` };
    this.inProgress.set(name, (this.inProgress.get(name) ?? 0) + 1);
    try {
      const keySets = await this.keySetsFor(plan);
      const sampleLimits = new Map<string, number>();
      for (const planned of plan.checks) {
        const key = planned.measures.rows;
        if (key) sampleLimits.set(key, this.options.allFailingRows ? Infinity : Math.max(sampleLimits.get(key) ?? 0, planned.spec.samples));
      }
      const observeTypes = Object.values(plan.measures).some((m) => m.kind === 'columns');
      const overridePath = this.options.overrides?.[name];
      const records = this.options.records?.[name];
      // `--data NAME=FILE` replaces a table with a file for the run.
      const fileSource: FileSource = isTableSource(spec.source) ? { path: overridePath ?? '' } : spec.source;
      const request: ExecuteRequest = {
        plan,
        load: { dataset: name, source: fileSource, policyFile: spec.file, columns: spec.columns, overridePath, observeTypes, records },
        sampleLimits,
        keySets,
        batchRows: this.options.batchRows ?? DEFAULT_BATCH_ROWS,
        sessions: this.sessions,
        pull: this.options.pull,
      };
      this.reads.set(name, (this.reads.get(name) ?? 0) + 1);
      let executor: Executor;
      if (isTableSource(spec.source) && overridePath === undefined) {
        const connection = this.options.connections?.find((c) => c.name === (spec.source.connection as string));
        if (!connection) throw new AssayError('data', `dataset "${name}": connection "${spec.source.connection}" is not declared`);
        executor = executorForConnection(connection.type);
        request.table = { source: spec.source, connection: resolveConnection(connection, this.options.connectionOverrides), key: spec.key };
      } else {
        executor = executorNamed(this.options.engine ?? IN_PROCESS.name);
      }
      let fallback: string | undefined;
      const filter = this.options.sampleFilter?.(spec) ?? null;
      // A reader who may see no row gets no sample: nothing is kept.
      if (filter === false) for (const key of sampleLimits.keys()) sampleLimits.set(key, 0);
      if (typeof filter === 'string') request.sampleWhere = filter;
      if (executor.name === 'duckdb' && records) {
        fallback = 'rows in memory are measured in-process';
      } else if (request.sampleWhere !== undefined && executor.name === 'duckdb') {
        fallback = "samples are picked among the rows the principal's row filters keep";
      } else if (this.options.allFailingRows && executor.name === 'duckdb') {
        fallback = '--failed-rows keeps every failing row';
      } else if (executor !== IN_PROCESS) {
        try {
          const measured = await executor.execute(request);
          this.engines.set(name, { engine: executor.name });
          return { kind: 'executed', ...measured, engine: engineReport(executor.name, plan, measured.pushedDown, measured.pulled) };
        } catch (e) {
          if (!(e instanceof Unsupported) || executor.reads !== 'files') throw e;
          fallback = e.message;
        }
      }
      this.engines.set(name, { engine: IN_PROCESS.name, ...(fallback ? { fallback } : {}) });
      const measured = await IN_PROCESS.execute(request);
      return { kind: 'executed', ...measured, engine: engineReport(IN_PROCESS.name, plan, 0, 0) };
    } catch (e) {
      if (!(e instanceof AssayError)) throw e;
      const message = errorMessage(e);
      this.unreadable.set(name, message);
      return { kind: 'unreadable', message };
    } finally {
      this.inProgress.set(name, this.inProgress.get(name)! - 1);
    }
  }
}

/** Checks measured by an SQL engine itself (`pushed_down`) and in-process over rows pulled from it (`pulled`, with `--pull`). */
function engineReport(name: EngineName, plan: DatasetPlan, pushedDown: number | undefined, pulled: number | undefined): EngineReport {
  return { name, pushed_down: pushedDown ?? (name === IN_PROCESS.name ? 0 : plan.checks.length), pulled: pulled ?? 0 };
}

/**
 * The order to check datasets in: those another checked dataset reads come
 * first; ties keep declaration order and cycles fall back to it.
 */
export function executionOrder(datasets: readonly DatasetPlan[]): DatasetPlan[] {
  const byName = new Map(datasets.map((d) => [d.name, d]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: DatasetPlan[] = [];
  const visit = (plan: DatasetPlan): void => {
    if (done.has(plan.name) || visiting.has(plan.name)) return;
    visiting.add(plan.name);
    for (const dep of dependenciesOf(plan)) {
      const depPlan = byName.get(dep);
      if (depPlan) visit(depPlan);
    }
    visiting.delete(plan.name);
    done.add(plan.name);
    order.push(plan);
  };
  datasets.forEach(visit);
  return order;
}
