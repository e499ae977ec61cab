// The teaching page: loads the lessons (/api/presets), turns the controls into the
// query of /api/run, reads its server-sent events as they arrive and draws them.
"use strict";

const REGION_COLOURS = { CN: "#c62828", EU: "#f9a825", US: "#1565c0" };
const SIDES = ["policy", "counterfactual"];
const SECTOR_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
  "#a6761d", "#666666", "#1f78b4", "#b2df8a"];
const state = { catalogue: null, preset: null, run: null, controller: null, history: [] };

const $ = (id) => document.getElementById(id);

function setStatus(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function prettyNode(name) {
  const [kind, what] = name.split(":");
  const kinds = {
    private_lps: "Private LPs", private_funds: "Private VC funds",
    guidance_backed_funds: "State-backed sub-funds", startups: "Startups",
    guidance_fund: "Guidance fund", coinvestors: "Co-investors", grant_agencies: "Grants",
  };
  const label = kinds[kind] || kind.replaceAll("_", " ");
  return what === undefined ? label : `${label}: ${what.replaceAll("_", " ")}`;
}

// ----------------------------------------------------------------------- controls
function leverValueText(lever, value) {
  if (lever.name === "subfund_life") return `${value} months (${(value / 12).toFixed(0)} years)`;
  if (lever.name === "fund_size") return Number(value) === 0 ? "0: no fund" : `${value}`;
  if (["state_share", "return_cap"].includes(lever.name)) return `${Math.round(value * 100)} %`;
  return `${value}`;
}

function buildControls() {
  const box = $("levers");
  box.innerHTML = "";
  for (const lever of state.catalogue.levers) {
    const id = `lever-${lever.name}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = lever.label;
    if (lever.kind === "number" || lever.kind === "integer") {
      const out = document.createElement("span");
      out.className = "value";
      out.id = `${id}-value`;
      label.appendChild(out);
      box.appendChild(label);
      const input = document.createElement("input");
      input.id = id;
      input.type = lever.name === "seed" ? "number" : "range";
      Object.assign(input, { min: lever.min, max: lever.max, step: lever.step });
      input.addEventListener("input", () => { out.textContent = leverValueText(lever, input.value); });
      box.appendChild(input);
      if (lever.name === "reinvest_ratio") {
        const note = document.createElement("p");
        note.className = "note";
        note.id = "reinvest-note";
        box.appendChild(note);
      }
    } else if (lever.kind === "boolean") {
      const input = document.createElement("input");
      input.type = "checkbox";
      input.id = id;
      label.prepend(input);
      box.appendChild(label);
    } else {
      box.appendChild(label);
      const grid = document.createElement("div");
      grid.className = "sectors";
      grid.id = id;
      for (const sector of state.catalogue.sectors) {
        const l = document.createElement("label");
        const c = document.createElement("input");
        c.type = "checkbox";
        c.value = sector;
        c.id = `sector-${sector}`;
        l.append(c, ` ${sector.replaceAll("_", " ")}`);
        grid.appendChild(l);
      }
      box.appendChild(grid);
    }
  }
}

function leverValue(lever) {
  const input = $(`lever-${lever.name}`);
  if (lever.kind === "boolean") return input.checked ? "true" : "false";
  if (lever.kind === "sector_list")
    return [...input.querySelectorAll("input:checked")].map((c) => c.value).join(",");
  return input.value;
}

function applyPreset(name) {
  const preset = state.catalogue.presets.find((p) => p.name === name);
  state.preset = preset;
  $("preset-description").textContent = preset.description;
  for (const lever of state.catalogue.levers) {
    const value = preset.levers[lever.name];
    const input = $(`lever-${lever.name}`);
    if (lever.kind === "boolean") input.checked = value;
    else if (lever.kind === "sector_list")
      for (const c of input.querySelectorAll("input")) c.checked = value.includes(c.value);
    else {
      input.value = value;
      input.dispatchEvent(new Event("input"));
    }
  }
  const applies = preset.levers.reinvest_applies;
  $("lever-reinvest_ratio").disabled = !applies;
  $("reinvest-note").textContent = applies ? "" :
    "Needs a provincial or city fund: choose the lesson \"Local reinvestment rules\".";
}

// The query of a run: the preset, and only the levers the student changed, so the
// history can say what differs from the lesson.
function runQuery() {
  const params = new URLSearchParams({ preset: state.preset.name });
  const changed = [];
  for (const lever of state.catalogue.levers) {
    if (lever.name === "reinvest_ratio" && !state.preset.levers.reinvest_applies) continue;
    const value = leverValue(lever);
    const preset = state.preset.levers[lever.name];
    const presetText = Array.isArray(preset) ? preset.join(",") : String(preset);
    const same = lever.kind === "number" || lever.kind === "integer"
      ? Number(value) === Number(preset) : value === presetText;
    if (!same) {
      params.set(lever.name, value);
      changed.push(`${lever.name}=${value}`);
    }
  }
  return { query: params.toString(), changed };
}

// ------------------------------------------------------------------------ charts
function makeCharts(start) {
  for (const chart of Object.values(state.charts || {})) chart.destroy();
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  const years = [];
  for (let y = start.start_year; y <= start.end_year; ++y) years.push(y);
  const regionSets = [];
  for (const side of SIDES)
    start.regions.forEach((region, i) => regionSets.push({
      label: `${region} ${side}`, data: [], side, index: i, borderColor: REGION_COLOURS[region] || "#555",
      backgroundColor: REGION_COLOURS[region] || "#555", borderDash: side === "policy" ? [] : [6, 4],
      borderWidth: side === "policy" ? 2.5 : 1.5, pointRadius: 0,
    }));
  const regions = new Chart($("chart-regions"), {
    type: "line", data: { labels: years, datasets: regionSets },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: "unicorns" } } },
      plugins: { legend: { labels: { boxHeight: 2 } } } },
  });
  // One line per sector and side, as the region chart: solid policy, dashed counterfactual.
  const sectorSets = [];
  for (const side of SIDES)
    start.sectors.forEach((sector, i) => {
      const colour = SECTOR_COLOURS[i % SECTOR_COLOURS.length];
      sectorSets.push({
        label: side === "policy" ? sector.replaceAll("_", " ") : `${sector.replaceAll("_", " ")} (cf.)`,
        data: [], side, index: i, borderColor: colour, backgroundColor: colour,
        borderDash: side === "policy" ? [] : [6, 4], borderWidth: side === "policy" ? 2 : 1.2,
        pointRadius: 0,
      });
    });
  const sectors = new Chart($("chart-sectors"), {
    type: "line", data: { labels: years, datasets: sectorSets },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: "unicorns" } } },
      plugins: { legend: { labels: { boxHeight: 2,
        filter: (item, data) => data.datasets[item.datasetIndex].side === "policy" } } } },
  });
  const fund = new Chart($("chart-fund"), {
    type: "bar", data: { labels: years, datasets: [
      { label: "drawn", data: [], backgroundColor: "#6a1b9a", stack: "money" },
      { label: "committed, not yet drawn", data: [], backgroundColor: "#ce93d8", stack: "money" }] },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
  });
  const flows = new Chart($("chart-flows"), {
    type: "sankey", data: { datasets: [{ data: [], colorFrom: () => "#1f6f8b", colorTo: () => "#e07a1f",
      colorMode: "gradient", labels: Object.fromEntries(start.flow_nodes.map((n) => [n, prettyNode(n)])) }] },
  });
  state.charts = { regions, sectors, fund, flows };
  state.start = start;
}

function onYear(event) {
  const c = state.charts;
  const i = event.year - state.start.start_year;
  for (const set of c.regions.data.datasets)
    if (set.side === event.side) set.data[i] = event.unicorns_by_region[set.index];
  c.regions.update();
  for (const set of c.sectors.data.datasets)
    if (set.side === event.side) set.data[i] = event.unicorns_by_sector[set.index];
  c.sectors.update();
  if (event.side !== "policy") return;
  if (event.policy_fund) {
    c.fund.data.datasets[0].data[i] = event.policy_fund.drawn;
    c.fund.data.datasets[1].data[i] = event.policy_fund.undrawn;
    c.fund.update();
  }
  const nodes = state.start.flow_nodes;
  c.flows.data.datasets[0].data = event.flows.filter((l) => l[2] >= 1)
    .map(([from, to, flow]) => ({ from: nodes[from], to: nodes[to], flow: Math.round(flow) }));
  c.flows.update();
}

function showSummary(done) {
  const regions = state.start.regions;
  const head = $("summary-head");
  head.innerHTML = "<th></th><th>All regions</th>" + regions.map((r) => `<th>${r}</th>`).join("");
  const sum = (a) => a.reduce((x, y) => x + y, 0);
  const rows = $("summary").tBodies[0].rows;
  const values = {
    policy: done.policy.unicorns_by_region,
    counterfactual: done.counterfactual.unicorns_by_region,
  };
  values.difference = values.policy.map((v, k) => v - values.counterfactual[k]);
  ["policy", "counterfactual", "difference"].forEach((name, r) => {
    const row = rows[r];
    while (row.cells.length > 1) row.deleteCell(1);
    const total = row.insertCell();
    total.id = `${name}-total`;
    total.textContent = sum(values[name]);
    regions.forEach((region, k) => {
      const cell = row.insertCell();
      cell.id = `${name}-${region}`;
      cell.textContent = values[name][k];
    });
  });
  $("summary-year").textContent = done.policy.year;
  const fund = done.policy.policy_fund;
  const money = (v) => (fund ? Math.round(v).toLocaleString("en-US") : "no fund");
  $("fund-year").textContent = done.policy.year;
  $("fund-offered").textContent = money(fund && fund.offered);
  $("fund-committed").textContent = money(fund && fund.committed);
  $("fund-drawn").textContent = money(fund && fund.drawn);
  $("fund-direct").textContent = money(fund && fund.direct_invested);
  $("fund-private").textContent = money(fund && fund.private_mobilised);
  $("fund-ratio").textContent = fund && fund.committed > 0
    ? (fund.private_mobilised / fund.committed).toFixed(1) : "–";
}

function addHistory(run, done) {
  const sum = (a) => a.reduce((x, y) => x + y, 0);
  const p = sum(done.policy.unicorns_by_region), c = sum(done.counterfactual.unicorns_by_region);
  const row = $("history").tBodies[0].insertRow(0);
  const fund = done.policy.policy_fund;
  const mobilised = fund ? Math.round(fund.private_mobilised).toLocaleString("en-US") : "no fund";
  for (const text of [run.preset, run.changed.join(", ") || "(as the lesson)", p, c, p - c,
    mobilised, done.seconds.toFixed(1)]) row.insertCell().textContent = text;
}

// -------------------------------------------------------------------------- runs
async function run() {
  if (state.controller) state.controller.abort();  // the server cancels the old run
  const controller = new AbortController();
  state.controller = controller;
  const { query, changed } = runQuery();
  const thisRun = { preset: state.preset.name, changed, query };
  document.body.dataset.runQuery = query;
  document.body.dataset.runState = "running";
  setStatus("Simulating 2000-2045…", false);
  const started = performance.now();
  let response;
  try {
    response = await fetch(`/api/run?${query}`, { signal: controller.signal });
  } catch (e) {
    if (controller.signal.aborted) return;
    return fail(`The server did not answer: ${e.message}`);
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({ error: response.statusText }));
    return fail(response.status === 503 ? `The server is busy: ${body.error}` : body.error);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!block.startsWith("data: ")) continue;  // a comment while the server works
        handle(JSON.parse(block.slice(6)), thisRun, started);
      }
    }
  } catch (e) {
    if (!controller.signal.aborted) fail(`The run stopped: ${e.message}`);
  }
}

function handle(event, thisRun, started) {
  if (event.type === "start") {
    makeCharts(event);
  } else if (event.type === "year") {
    onYear(event);
    if (event.side === "policy") setStatus(`Simulating… ${event.year}`, false);
  } else if (event.type === "done") {
    showSummary(event);
    addHistory(thisRun, event);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    setStatus(`Done: 2000-2045 twice in ${seconds} s (seed ${state.start.seed}).`, false);
    document.body.dataset.runState = "done";
  } else if (event.type === "error") {
    fail(event.message);
  }
}

function fail(message) {
  setStatus(message, true);
  document.body.dataset.runState = "error";
}

async function main() {
  try {
    const response = await fetch("/api/presets");
    state.catalogue = await response.json();
  } catch (e) {
    return fail(`Could not load the lessons: ${e.message}`);
  }
  buildControls();
  const select = $("preset");
  for (const p of state.catalogue.presets) select.add(new Option(p.title, p.name));
  select.addEventListener("change", () => applyPreset(select.value));
  applyPreset(select.value);
  $("run").addEventListener("click", run);
  setStatus("Choose a lesson and press Run.", false);
}

main();
