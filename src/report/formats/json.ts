import type { RunReport } from '../model.js';
import type { ReportFormat } from './index.js';

export const json: ReportFormat = {
  name: 'json',
  file: 'assay-report.json',
  render: (report: RunReport) => `${JSON.stringify(report, null, 2)}\n`,
};
