/**
 * GitHub Actions workflow annotations (`--format github`): one line per check
 * that did not pass, `::error file=rules/orders.yaml,line=14,col=7,title=…::message`
 * (`::warning` for warn), which GitHub shows on that line of the policy file
 * in the pull request's diff and on the run's page. Printed on stdout, where
 * the runner reads workflow commands; the CLI also appends the Markdown
 * report to the step summary. Messages carry counts and thresholds, never
 * cell values (samples are left out).
 */
import type { SourceLocation } from '../../util/diagnostics.js';
import type { CheckReport, RunReport } from '../model.js';
import type { RenderOptions, ReportFormat } from './index.js';

export const github: ReportFormat = {
  name: 'github',
  render: renderGithub,
};

function renderGithub(report: RunReport, options: RenderOptions = {}): string {
  const lines: string[] = [];
  for (const dataset of report.datasets) {
    const spec = options.policy?.datasets.find((d) => d.name === dataset.name);
    if (dataset.error) {
      lines.push(annotation('error', spec?.location, `assay: ${dataset.name}`, dataset.error));
      continue;
    }
    for (const check of dataset.checks) {
      if (check.status === 'pass') continue;
      const location = spec?.checks.find((c) => c.id === check.id)?.location ?? spec?.location;
      lines.push(annotation(check.status === 'warn' ? 'warning' : 'error', location, `assay: ${check.id}`, checkText(check)));
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function checkText(check: CheckReport): string {
  const threshold = check.threshold ? ` (${check.status === 'error' ? 'error' : `threshold: ${check.threshold}`})` : '';
  return `${check.status.toUpperCase()}: ${check.message}${threshold}`;
}

function annotation(level: 'error' | 'warning', location: SourceLocation | undefined, title: string, message: string): string {
  const props = [...(location ? [`file=${property(location.file)}`, `line=${location.line}`, `col=${location.col}`] : []), `title=${property(title)}`];
  return `::${level} ${props.join(',')}::${data(message)}`;
}

/** The escaping GitHub's runner undoes (actions/toolkit command.ts): a value cannot end the command or add a property. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

