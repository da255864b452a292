/**
 * The lineage graph as inline SVG: datasets as boxes, laid out left to right
 * by dagre (@dagrejs/dagre: a layered Sugiyama layout), edges drawn through
 * the points dagre routes them by.
 * `upstream` edges are solid, `references` dashed, `reconcile` dotted.
 * Each box links to its dataset's page; no script.
 */
import dagre from '@dagrejs/dagre';
import { escapeHtml as esc } from '../report/formats/escape.js';
import type { Catalog } from './model.js';

const CHAR_WIDTH = 7.4;
const BOX_HEIGHT = 34;
const DASH: Record<string, string> = { upstream: '', references: '6 4', reconcile: '2 4' };

/** File name of a dataset's page; dataset names are [a-z0-9_.-] (the policy schema), so this is one plain file name. */
export const datasetPage = (name: string): string => `dataset-${name}.html`;

export function lineageSvg(catalog: Catalog, highlight?: string): string {
  const involved = new Set(catalog.edges.flatMap((e) => [e.from, e.to]));
  const names = catalog.datasets.map((d) => d.name).filter((n) => involved.has(n) || n === highlight);
  if (names.length === 0)
    return '<p class="muted">No lineage: no dataset declares <code>upstream</code>, a <code>references</code> column or a <code>reconcile</code> check.</p>';
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 70, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const name of names) g.setNode(name, { width: Math.max(80, name.length * CHAR_WIDTH + 28), height: BOX_HEIGHT });
  const edges = catalog.edges.filter((e) => names.includes(e.from) && names.includes(e.to));
  // A multigraph would let two kinds of edge join the same pair; one line per pair, its kinds listed in the title.
  const pairs = new Map<string, string[]>();
  for (const e of edges) pairs.set(`${e.from}\u0000${e.to}`, [...(pairs.get(`${e.from}\u0000${e.to}`) ?? []), e.kind]);
  for (const key of pairs.keys()) {
    const [from, to] = key.split('\u0000');
    g.setEdge(from, to);
  }
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  const parts: string[] = [];
  parts.push(
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>',
  );
  for (const [key, kinds] of pairs) {
    const [from, to] = key.split('\u0000');
    const points = g.edge(from, to).points ?? [];
    const d = points.map((p: { x: number; y: number }, i: number) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    const dash = DASH[kinds[0]];
    parts.push(
      `<path class="edge ${esc(kinds.join(' '))}" d="${d}"${dash ? ` stroke-dasharray="${dash}"` : ''} marker-end="url(#arrow)"><title>${esc(from)} → ${esc(to)}: ${esc(kinds.join(', '))}</title></path>`,
    );
  }
  for (const name of names) {
    const n = g.node(name);
    const x = n.x - n.width / 2;
    const y = n.y - n.height / 2;
    const status = catalog.datasets.find((d) => d.name === name)?.status ?? 'none';
    parts.push(
      `<a href="${esc(datasetPage(name))}"><g class="node ${esc(status)}${name === highlight ? ' current' : ''}"><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${n.width.toFixed(1)}" height="${n.height}" rx="5"/>` +
        `<text x="${n.x.toFixed(1)}" y="${(n.y + 4.5).toFixed(1)}" text-anchor="middle">${esc(name)}</text></g></a>`,
    );
  }
  const legend = '<p class="legend muted">— upstream &nbsp; - - references &nbsp; · · · reconcile; arrows point from the dataset used to the one using it</p>';
  return `<svg class="lineage" role="img" aria-label="lineage graph" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" width="${Math.ceil(width)}" height="${Math.ceil(height)}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>${legend}`;
}
