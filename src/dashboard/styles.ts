/**
 * The dashboard's and the report's stylesheet, served as /api/dashboard/assets/dashboard.css. Light and dark
 * follow the operator's system setting; outcome colours are classes (CSP allows no inline style). Print hides
 * navigation and controls and keeps table rows whole.
 */
export const DASHBOARD_CSS = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa; --link: #0550ae; --focus: #bf3989;
  --ok: #1a7f37; --run: #0969da; --wait: #afb8c1; --back: #bc4c00; --bad: #cf222e; --skip: #6e7781; --hist: #6639ba; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #30363d; --panel: #161b22; --link: #79c0ff; --focus: #f778ba;
    --ok: #3fb950; --run: #58a6ff; --wait: #3d444d; --back: #f0883e; --bad: #f85149; --skip: #8b949e; --hist: #bc8cff; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5em; }
.skip:focus { left: .5em; z-index: 2; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header { display: flex; gap: 1em; align-items: baseline; flex-wrap: wrap; padding: .6em 1em; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { font-size: 1.2em; margin: 0; }
.layout { display: grid; grid-template-columns: minmax(18em, 26em) 1fr; gap: 1em; padding: 1em; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
nav#migrations { min-width: 0; } nav#migrations table { font-size: .85em; }
main { min-width: 0; }
h2 { font-size: 1.15em; margin: .2em 0; } h3 { font-size: 1.02em; margin: 1.2em 0 .4em; }
.meta, .note { color: var(--muted); margin: .3em 0; } .count { color: var(--muted); font-weight: normal; }
.problem { color: var(--bad); font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { text-align: left; padding: .3em .5em; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); } th a { color: inherit; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.msg { max-width: 40em; overflow-wrap: anywhere; }
tr[aria-current="true"] { background: var(--panel); font-weight: 600; }
.filters { display: flex; flex-wrap: wrap; gap: .6em; align-items: end; margin: .5em 0; }
input, select, button { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .25em .5em; }
button { cursor: pointer; background: var(--panel); } button:disabled { opacity: .45; cursor: not-allowed; }
.actions { display: flex; gap: .5em; margin: .5em 0; }
.status { display: inline-block; padding: 0 .5em; border-radius: 1em; border: 1px solid currentColor; font-size: .85em; }
.s-Running { color: var(--run); } .s-Completed { color: var(--ok); } .s-Failed { color: var(--bad); } .s-Paused { color: var(--back); } .s-Canceled, .s-Pending { color: var(--skip); }
svg.bar { width: 100%; height: 24px; border: 1px solid var(--line); border-radius: 4px; background: var(--panel); }
.o-succeeded { fill: var(--ok); background: var(--ok); } .o-inProgress { fill: var(--run); background: var(--run); } .o-pending { fill: var(--wait); background: var(--wait); }
.o-rolledBack { fill: var(--back); background: var(--back); } .o-failed { fill: var(--bad); background: var(--bad); } .o-skipped { fill: var(--skip); background: var(--skip); }
.o-succeeded-t { color: var(--ok); } .o-rolledBack-t { color: var(--back); } .o-failed-t { color: var(--bad); }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4em 1.2em; margin: .4em 0; }
.swatch { display: inline-block; width: .9em; height: .9em; border-radius: 2px; margin-right: .3em; vertical-align: -1px; }
.pill { display: inline-block; padding: 0 .45em; border-radius: 1em; color: #fff; font-size: .85em; background: var(--skip); }
.pill.o-pending, .chip.o-pending { color: var(--fg); }
svg.histogram { width: 100%; max-height: 220px; } svg.histogram text { fill: var(--fg); font-size: 15px; } .hist { fill: var(--hist); }
.groups { list-style: none; padding: 0; margin: 0; max-height: 26em; overflow: auto; border: 1px solid var(--line); border-radius: 4px; }
.groups li { padding: .25em .5em; border-bottom: 1px solid var(--line); } .plan { font-weight: 600; }
.chips { display: flex; flex-wrap: wrap; gap: 3px; margin-top: .2em; }
.chip { display: inline-block; min-width: 5.5em; padding: 0 .35em; border-radius: 3px; font-size: .75em; color: #fff; text-decoration: none; text-align: center; }
.why, .fix { color: var(--muted); font-size: .9em; } .attention { color: var(--bad); }
.pager { display: flex; gap: 1em; align-items: center; margin: .5em 0; }
.timeline { list-style: none; padding: 0; border-left: 3px solid var(--line); margin-left: .5em; }
.timeline li { padding: .2em .6em; position: relative; } .timeline .step { font-weight: 600; display: inline-block; min-width: 6.5em; text-transform: capitalize; }
.t-rollback .step { color: var(--back); } .t-disconnect .step, .t-connect .step { color: var(--run); } .t-verify .step { color: var(--ok); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; } .facts dt { color: var(--muted); } .facts dd { margin: 0; }
#live { margin-left: auto; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(11em, 1fr)); gap: .6em; margin: .6em 0; padding: 0; list-style: none; }
.figures li { border: 1px solid var(--line); border-radius: 6px; padding: .4em .6em; background: var(--panel); }
.figures strong { display: block; font-size: 1.4em; }
.report { max-width: 70em; margin: 0 auto; padding: 1em; }
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #333; --line: #999; --panel: #fff; --link: #000; }
  body { font-size: 10pt; } header .links, nav, .actions, .filters, .pager, .noprint, button { display: none !important; }
  .layout { display: block; padding: 0; } tr, li { break-inside: avoid; } h2, h3 { break-after: avoid; }
  .pill, .chip { color: #000; border: 1px solid #000; background: none; } a { text-decoration: none; }
}
`;
