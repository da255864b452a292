/** The in-process executor as the store calls it: stream the files in batches, fold each batch into the measures. */
import { streamDataset } from '../../sources/stream.js';
import type { ExecuteRequest, Measured } from '../executor.js';
import { executeStream } from './execute.js';

export async function executeInProcess(request: ExecuteRequest): Promise<Measured> {
  const stream = streamDataset(request.load, request.batchRows);
  const results = await executeStream(request.plan, stream, request.sampleLimits, request.keySets, request.sampleWhere);
  return { results, stream };
}
