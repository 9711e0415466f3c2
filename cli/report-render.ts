/**
 * The compliance report as Markdown and as one self-contained HTML page (inline CSS and SVG, no
 * script, no external asset). Every number on the page carries a data-metric attribute, so the
 * browser test can read it back and compare it with `--format json`.
 */
import { CLUSTER_SCOPE, Counts, FrameworkPosture, Posture, WaiverRow } from './posture';

const STATE_LABEL: Record<string, string> = { hold: 'holds', waived: 'waived', fail: 'fails', 'not evaluated': 'not evaluated', 'not covered': 'not covered' };

function pct(c: Counts): string {
  const total = c.hold + c.waived + c.fail;
  return total === 0 ? '-' : `${Math.round((100 * c.hold) / total)}%`;
}

// ---------------------------------------------------------------------------------------------
// Markdown

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(p: Posture): string {
  const out: string[] = [
    '# Bulwark compliance report',
    '',
    `Generated ${p.generatedAt} from ${p.inputs.join(', ')}; Kubernetes ${p.kubernetesVersion}; packs ${p.packs.join(', ')}; ${p.objects} objects.`,
    '',
    `**Controls: ${p.totals.hold} hold, ${p.totals.waived} waived, ${p.totals.fail} fail** (one control is one rule applied to one workload, or to a namespace's other objects).`,
    '',
    ...p.skipped.map((s) => `> Skipped: \`${s.rule}\`: ${s.reason}.`),
    ...(p.problems.length ? ['', `> ${p.problems.length} input problems (not checked): ${p.problems.map((x) => `${x.file}${x.line ? `:${x.line}` : ''} ${x.message}`).join('; ')}`] : []),
    '',
    '## Posture per namespace',
    '',
    '| namespace | hold | waived | fail | holding |',
    '|---|---:|---:|---:|---:|',
    ...p.namespaces.map((n) => `| ${n.name} | ${n.counts.hold} | ${n.counts.waived} | ${n.counts.fail} | ${pct(n.counts)} |`),
    '',
  ];
  for (const n of p.namespaces) {
    out.push(`## ${n.name === CLUSTER_SCOPE ? 'Cluster-scoped objects' : `Namespace ${n.name}`}`, '');
    for (const s of n.subjects) {
      out.push(`### ${s.name}`, '', `${s.counts.hold} hold, ${s.counts.waived} waived, ${s.counts.fail} fail.`, '');
      const failing = s.controls.filter((c) => c.state !== 'hold');
      if (failing.length) {
        out.push('| control | state | severity | finding |', '|---|---|---|---|');
        for (const c of failing) {
          for (const f of c.findings) out.push(`| \`${c.rule}\` | ${STATE_LABEL[c.state]} | ${c.severity} | ${mdEscape(`${f.detail}${f.waiver ? ` (waived: ${f.waiver.reason})` : `; fix: ${f.remediation}`}`)} |`);
        }
        out.push('');
      }
      const holding = s.controls.filter((c) => c.state === 'hold');
      if (holding.length) out.push(`Holds: ${holding.map((c) => `\`${c.rule}\``).join(', ')}.`, '');
    }
  }
  out.push('## Waivers', '', `Expired and expiring (within 30 days) waivers first.`, '');
  if (p.waivers.length === 0) out.push('None.', '');
  else {
    out.push('| status | object | rule | reason | owner | expires |', '|---|---|---|---|---|---|');
    for (const w of p.waivers) out.push(`| ${waiverStatusText(w, true)} | ${w.object} | \`${w.rule}\`${w.container ? ` (${w.container})` : ''} | ${mdEscape(w.reason)} | ${w.owner ?? ''} | ${w.expires ?? 'never'} |`);
    out.push('');
  }
  out.push('## Standards', '');
  for (const f of p.frameworks) {
    out.push(`### ${f.name}`, '', `${f.edition}. ${frameworkSummary(f)}`, '');
    out.push('| control | title | state | rules |', '|---|---|---|---|');
    for (const c of f.controls) out.push(`| ${c.id} | ${mdEscape(c.title)} | ${STATE_LABEL[c.state]} | ${c.rules.map((r) => `\`${r}\``).join(', ')}${c.note ? ` ${mdEscape(c.note)}` : ''} |`);
    out.push('');
  }
  out.push('## Not covered', '', 'No rule checks these controls (docs/coverage.md):', '');
  for (const f of p.frameworks) for (const c of f.controls.filter((x) => x.state === 'not covered')) out.push(`- ${f.name} ${c.id}: ${c.title}${c.note ? `. ${c.note}` : ''}`);
  out.push('');
  return out.join('\n');
}

function frameworkSummary(f: FrameworkPosture): string {
  return `${f.counts.hold} hold, ${f.counts.waived} waived, ${f.counts.fail} fail, ${f.counts.notEvaluated} not evaluated (nothing in the input they apply to), ${f.counts.notCovered} not covered by any rule.`;
}

function waiverStatusText(w: WaiverRow, strong = false): string {
  const b = (s: string) => (strong ? `**${s}**` : s);
  if (w.status === 'expired') return b(`expired ${-(w.daysLeft ?? 0)} days ago`);
  if (w.status === 'expiring') return b(`expires in ${w.daysLeft} days`);
  if (w.status === 'invalid') return b(`invalid: ${w.problem ?? ''}`);
  return 'active';
}

// ---------------------------------------------------------------------------------------------
// HTML

function esc(s: unknown): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CSS = `
:root{--hold:#2e7d32;--waived:#b26a00;--fail:#c62828;--muted:#5f6368;--line:#dadce0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#202124}
body{margin:0;background:#f8f9fa}main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.meta{color:var(--muted);font-size:13px}.cards{display:flex;gap:12px;margin:16px 0}
.card{flex:1;background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px}.card b{display:block;font-size:28px}
.card.hold b{color:var(--hold)}.card.waived b{color:var(--waived)}.card.fail b{color:var(--fail)}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px;margin:6px 0 12px}th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{white-space:nowrap}td.n{white-space:nowrap}table.details{table-layout:fixed}table.details td{overflow-wrap:anywhere}table.details col.w{width:13%}table.details col.c{width:17%}table.details col.s{width:7%}table.details col.f{width:33%}
th{background:#f1f3f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.s-hold{color:var(--hold)}.s-waived{color:var(--waived)}.s-fail{color:var(--fail);font-weight:600}.s-ne,.s-nc{color:var(--muted)}
tr.expired td{background:#fdecea}tr.expiring td{background:#fff4e5}tr.invalid td{background:#fdecea}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;color:#fff}.badge.expired,.badge.invalid{background:var(--fail)}.badge.expiring{background:var(--waived)}.badge.active{background:var(--hold)}
.note{background:#fff8e1;border:1px solid #ffe082;border-radius:6px;padding:8px 12px;font-size:13px;margin:8px 0}
code{font-family:"DejaVu Sans Mono",monospace;font-size:12px}.legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
`;

/** Horizontal stacked bars (hold, waived, fail) per namespace, as inline SVG. */
function chart(p: Posture): string {
  const rowH = 26;
  const labelW = 190;
  const barW = 560;
  const height = p.namespaces.length * rowH + 10;
  const rows = p.namespaces.map((n, i) => {
    const total = n.counts.hold + n.counts.waived + n.counts.fail;
    const y = 5 + i * rowH;
    let x = labelW;
    const seg = (k: 'hold' | 'waived' | 'fail', colour: string) => {
      const w = total === 0 ? 0 : (barW * n.counts[k]) / total;
      const rect = w > 0 ? `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${colour}"><title>${esc(n.name)}: ${n.counts[k]} ${k}</title></rect>` : '';
      x += w;
      return rect;
    };
    return `<g data-namespace="${esc(n.name)}"><text x="${labelW - 8}" y="${y + 13}" text-anchor="end" font-size="12">${esc(n.name)}</text>${seg('hold', '#2e7d32')}${seg('waived', '#b26a00')}${seg('fail', '#c62828')}<text x="${labelW + barW + 8}" y="${y + 13}" font-size="12">${n.counts.hold}/${n.counts.waived}/${n.counts.fail}</text></g>`;
  });
  return `<svg role="img" aria-label="Controls per namespace: hold, waived, fail" width="${labelW + barW + 90}" height="${height}" viewBox="0 0 ${labelW + barW + 90} ${height}" xmlns="http://www.w3.org/2000/svg">${rows.join('')}</svg>`;
}

function stateCell(state: string): string {
  const cls = state === 'not evaluated' ? 's-ne' : state === 'not covered' ? 's-nc' : `s-${state}`;
  return `<td class="${cls}">${esc(STATE_LABEL[state] ?? state)}</td>`;
}

export function renderHtml(p: Posture): string {
  const counts = (c: Counts, scope: string) => ['hold', 'waived', 'fail'].map((k) => `<td class="n" data-metric="${scope}.${k}">${c[k as keyof Counts]}</td>`).join('');
  const body: string[] = [
    `<h1>Bulwark compliance report</h1>`,
    `<p class="meta">Generated ${esc(p.generatedAt)} from ${esc(p.inputs.join(', '))} · Kubernetes ${esc(p.kubernetesVersion)} · packs ${esc(p.packs.join(', '))} · <span data-metric="objects">${p.objects}</span> objects</p>`,
    `<div class="cards"><div class="card hold"><b data-metric="total.hold">${p.totals.hold}</b>controls hold</div><div class="card waived"><b data-metric="total.waived">${p.totals.waived}</b>waived</div><div class="card fail"><b data-metric="total.fail">${p.totals.fail}</b>fail</div><div class="card"><b data-metric="waivers.attention">${p.waivers.filter((w) => w.status !== 'active').length}</b>waivers need attention</div></div>`,
    ...p.skipped.map((s) => `<p class="note">Skipped <code>${esc(s.rule)}</code>: ${esc(s.reason)}.</p>`),
    ...(p.problems.length ? [`<p class="note">${p.problems.length} input problems, not checked: ${esc(p.problems.map((x) => `${x.file}${x.line ? `:${x.line}` : ''} ${x.message}`).join('; '))}</p>`] : []),
    '<h2>Posture per namespace</h2>',
    '<p class="legend"><span><i style="background:#2e7d32"></i>hold</span><span><i style="background:#b26a00"></i>waived</span><span><i style="background:#c62828"></i>fail</span></p>',
    chart(p),
    '<table><thead><tr><th>namespace</th><th>hold</th><th>waived</th><th>fail</th><th>holding</th></tr></thead><tbody>',
    ...p.namespaces.map((n) => `<tr data-row="namespace"><td>${esc(n.name)}</td>${counts(n.counts, `ns.${n.name}`)}<td class="n">${pct(n.counts)}</td></tr>`),
    '</tbody></table>',
  ];
  for (const n of p.namespaces) {
    body.push(`<h2>${n.name === CLUSTER_SCOPE ? 'Cluster-scoped objects' : `Namespace ${esc(n.name)}`}</h2>`);
    body.push('<table><thead><tr><th>workload</th><th>hold</th><th>waived</th><th>fail</th><th>failing or waived controls</th></tr></thead><tbody>');
    for (const s of n.subjects) {
      const bad = s.controls.filter((c) => c.state !== 'hold').map((c) => `<span class="s-${c.state}"><code>${esc(c.rule)}</code></span>`).join(', ');
      body.push(`<tr><td>${esc(s.name)}</td>${counts(s.counts, `subject.${n.name}.${s.name}`)}<td>${bad || '<span class="s-hold">all hold</span>'}</td></tr>`);
    }
    body.push('</tbody></table>');
    const details = n.subjects.flatMap((s) => s.controls.filter((c) => c.state !== 'hold').flatMap((c) => c.findings.map((f) => ({ s, c, f }))));
    if (details.length) {
      body.push('<table class="details"><colgroup><col class="w"><col class="c"><col class="s"><col class="f"><col></colgroup><thead><tr><th>workload</th><th>control</th><th>state</th><th>finding</th><th>fix or waiver</th></tr></thead><tbody>');
      for (const { s, c, f } of details) body.push(`<tr><td>${esc(s.name)}</td><td><code>${esc(c.rule)}</code> <span class="meta">${esc(c.severity)}</span></td>${stateCell(f.waiver ? 'waived' : 'fail')}<td>${esc(f.detail)}${f.file ? `<br><span class="meta">${esc(f.file)}:${f.fieldLine ?? f.line}</span>` : ''}</td><td>${esc(f.waiver ? `waived: ${f.waiver.reason}` : f.remediation)}</td></tr>`);
      body.push('</tbody></table>');
    }
  }
  body.push('<h2>Waivers</h2>');
  if (p.waivers.length === 0) body.push('<p>None.</p>');
  else {
    body.push('<table><thead><tr><th>status</th><th>object</th><th>rule</th><th>reason</th><th>owner</th><th>expires</th></tr></thead><tbody>');
    for (const w of p.waivers) body.push(`<tr class="${w.status}" data-waiver-status="${w.status}"><td><span class="badge ${w.status}">${esc(waiverStatusText(w))}</span></td><td>${esc(w.object)}</td><td><code>${esc(w.rule)}</code>${w.container ? ` (${esc(w.container)})` : ''}</td><td>${esc(w.reason)}</td><td>${esc(w.owner ?? '')}</td><td>${esc(w.expires ?? 'never')}</td></tr>`);
    body.push('</tbody></table>');
  }
  body.push('<h2>Standards</h2>');
  for (const f of p.frameworks) {
    body.push(`<h3>${esc(f.name)}</h3><p class="meta">${esc(f.edition)}. ${esc(frameworkSummary(f))}</p>`);
    body.push('<table><thead><tr><th>control</th><th>title</th><th>state</th><th>rules</th></tr></thead><tbody>');
    for (const c of f.controls) body.push(`<tr data-framework="${esc(f.id)}" data-state="${esc(c.state)}"><td>${esc(c.id)}</td><td>${esc(c.title)}</td>${stateCell(c.state)}<td>${c.rules.map((r) => `<code>${esc(r)}</code>`).join(', ')}${c.note ? `<br><span class="meta">${esc(c.note)}</span>` : ''}</td></tr>`);
    body.push('</tbody></table>');
  }
  body.push('<h2>Not covered</h2><p>No rule checks these controls (also in docs/coverage.md):</p><ul>');
  for (const f of p.frameworks) for (const c of f.controls.filter((x) => x.state === 'not covered')) body.push(`<li data-not-covered="${esc(f.id)}">${esc(f.name)} ${esc(c.id)}: ${esc(c.title)}${c.note ? `. <span class="meta">${esc(c.note)}</span>` : ''}</li>`);
  body.push('</ul>');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Bulwark compliance report</title><style>${CSS}</style></head><body><main>${body.join('\n')}</main></body></html>\n`;
}
