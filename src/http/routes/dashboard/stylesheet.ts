/** `GET /dashboard/style.css`: the dashboard's only stylesheet (no inline styles, no CDN). */
export const STYLESHEET = `
:root { --ink: #1d2330; --muted: #4f5868; --line: #d5d9e0; --bg: #f6f7f9; --card: #fff; --accent: #1f5fbf; --bad: #a3261b; --good: #1d6b38; --warn: #7a5200; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus { outline: 3px solid #f2b705; outline-offset: 1px; }
header.top { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.5rem; background: #17233a; color: #fff; flex-wrap: wrap; }
header.top a { color: #fff; text-decoration: none; padding: .2rem .1rem; }
header.top a[aria-current="page"] { border-bottom: 2px solid #f2b705; }
header.top .brand { font-weight: 700; margin-right: 1rem; }
header.top nav ul { display: flex; gap: 1.2rem; list-style: none; margin: 0; padding: 0; }
header.top form { margin-left: auto; }
main { padding: 1rem 1.5rem 3rem; max-width: 1200px; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; background: var(--card); margin-bottom: 1rem; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef0f4; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.state { display: inline-block; padding: 0 .45rem; border-radius: .6rem; background: #e6e9ef; font-size: .85rem; }
.state-failed, .state-cancelled { background: #f8dcd9; color: var(--bad); }
.state-completed { background: #d8efdf; color: var(--good); }
.state-skipped { background: #f7ecd2; color: var(--warn); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin-bottom: 1rem; }
.notice { border-left: 4px solid var(--good); background: #eef8f1; padding: .6rem 1rem; margin-bottom: 1rem; }
.error { border-left: 4px solid var(--bad); background: #fbeeed; padding: .6rem 1rem; margin-bottom: 1rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: flex-end; margin-bottom: 1rem; }
form.filters label, form.stack label { display: flex; flex-direction: column; font-size: .9rem; gap: .2rem; }
form.stack { display: flex; flex-direction: column; gap: .8rem; max-width: 24rem; }
input, select { font: inherit; padding: .3rem .4rem; border: 1px solid #8a93a3; border-radius: 4px; background: #fff; color: var(--ink); }
button, a.button { font: inherit; display: inline-block; padding: .35rem .9rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; }
button.secondary, a.button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
header.top button { background: transparent; border-color: #fff; color: #fff; }
.actions { display: flex; gap: .6rem; flex-wrap: wrap; margin: .5rem 0 1rem; }
pre { background: #10151f; color: #e8edf5; padding: .8rem; overflow-x: auto; border-radius: 4px; font-size: .85rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.chart svg { width: 100%; max-width: 900px; height: auto; background: var(--card); border: 1px solid var(--line); }
.chart .bar { fill: var(--accent); }
.chart .bar-failed { fill: var(--bad); }
.chart .axis { stroke: var(--line); }
.chart text { font-size: 10px; fill: var(--muted); }
.reasons { margin: 0; padding-left: 1rem; font-size: .85rem; }
video { max-width: 480px; width: 100%; background: #000; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
