/* /trends?exercise=X&days=N: weekly figures per exercise (reps, time under tension, tempo, slow-down,
   partial reps), charted with uPlot (vendored) and listed in a table. */
"use strict";
(async () => {
  const { h, exName, fmtS, fmtPct, getJSON } = RC;
  const main = document.getElementById("main");
  const params = new URLSearchParams(location.search);
  const exercise = params.get("exercise") || "";
  const days = params.get("days") || "90";
  let data;
  try { data = await getJSON(`/api/trends?${new URLSearchParams({ exercise, days })}`); }
  catch (e) { main.replaceChildren(h("h1", {}, "Trends"), h("p", { class: "error" }, `Could not read the history: ${e.message}`)); return; }

  const link = (ex, d) => `/trends?${new URLSearchParams({ ...(ex ? { exercise: ex } : {}), days: d })}`;
  const exChips = h("div", { class: "chips", "data-role": "exercises" },
    h("a", { href: link("", days), class: exercise ? "" : "here" }, "All"),
    ...(data.exercises || []).map((ex) => h("a", { href: link(ex, days), class: ex === exercise ? "here" : "", "data-exercise": ex }, exName(ex))));
  const dayChips = h("div", { class: "chips" },
    ...["30", "90", "365"].map((d) => h("a", { href: link(exercise, d), class: d === days ? "here" : "" }, `${d} days`)));
  const weeks = data.weeks || [];
  const title = h("h1", {}, `Trends: ${exercise ? exName(exercise) : "all exercises"}`);
  if (!weeks.length) {
    main.replaceChildren(title, exChips, dayChips, h("p", { class: "empty" }, "No sets in this period yet."));
    return;
  }

  const xs = weeks.map((w) => Date.parse(`${w.week}T00:00:00`) / 1000);
  const col = (k) => weeks.map((w) => (typeof w[k] === "number" ? w[k] : null));
  const css = getComputedStyle(document.documentElement);
  const c = (name) => css.getPropertyValue(name).trim();
  const bars = uPlot.paths.bars({ size: [0.6, 48] });
  const charts = h("div", { class: "charts" });
  const made = [];

  /** y range that always shows 0 and leaves 15% room beyond the data on the side(s) it extends to. */
  function padded(u, lo, hi) {
    if (lo === null || hi === null) return [0, 1];
    const a = Math.min(0, lo), b = Math.max(0, hi), span = b - a || 1;
    return [a < 0 ? a - 0.15 * span : 0, b > 0 ? b + 0.15 * span : (a < 0 ? 0.15 * span : 1)];
  }

  function chart(name, series, yLabel, y2Label, ints = false) {
    const box = h("div", { class: "chart", "data-chart": name }, h("h2", {}, name));
    charts.append(box);
    const axis = (extra) => ({ stroke: c("--dim"), grid: { stroke: c("--line") }, ticks: { stroke: c("--line") },
      font: "14px system-ui, sans-serif", labelFont: "bold 14px system-ui, sans-serif", ...extra });
    const opts = {
      width: 400, height: 240,
      legend: { live: false },
      scales: { x: { time: true, range: () => [xs[0] - 4 * 86400, xs[xs.length - 1] + 4 * 86400] },
                y: { range: padded }, ...(y2Label ? { y2: { range: padded } } : {}) },
      axes: [axis({}), axis({ label: yLabel, size: 56, ...(ints ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] } : {}) }), ...(y2Label ? [axis({ scale: "y2", side: 1, label: y2Label, size: 56, grid: { show: false } })] : [])],
      series: [{ label: "week", value: (u, v) => (v === null ? "—" : new Date(v * 1000).toLocaleDateString()) },
        ...series.map((s) => {
          const out = { label: s.label, scale: s.scale || "y", width: 3, spanGaps: true, stroke: s.color,
            points: { size: 8, fill: s.color, stroke: s.color } };
          if (s.bars) Object.assign(out, { fill: s.color + "cc", paths: bars, points: { show: false } });
          return out;
        })],
    };
    made.push({ box, opts, data: [xs, ...series.map((s) => s.values)] });
  }
  chart("Reps", [{ label: "reps / week", values: col("reps"), color: c("--con"), bars: true },
                 { label: "reps / set", values: col("reps_per_set"), color: c("--text"), scale: "y2" }], "reps", "per set", true);
  chart("Time under tension", [{ label: "TUT / week (s)", values: col("tut_s"), color: c("--ecc"), bars: true },
                               { label: "TUT / set (s)", values: col("tut_per_set_s"), color: c("--text"), scale: "y2" }], "s / week", "s / set");
  chart("Tempo", [{ label: "pull (s)", values: col("concentric_s"), color: c("--con") },
                  { label: "lower (s)", values: col("eccentric_s"), color: c("--ecc") }], "s");
  chart("Slow-down within a set", [{ label: "slow-down (%)", values: col("slowdown_pct"), color: c("--warn") }], "%");
  chart("Partial reps", [{ label: "partial reps / week", values: col("partial_reps"), color: c("--bad"), bars: true }], "reps", undefined, true);

  const table = h("div", { class: "table-wrap" }, h("table", { "data-role": "weeks" },
    h("thead", {}, h("tr", {}, ...["Week", "Sets", "Reps", "TUT", "Pull", "Lower", "Slow", "Partial"].map((t, i) => h("th", { class: i ? "num" : "" }, t)))),
    h("tbody", {}, weeks.slice().reverse().map((w) => h("tr", {},
      h("td", { style: "white-space:nowrap" }, new Date(`${w.week}T00:00:00`).toLocaleDateString(undefined,
        { day: "numeric", month: "short", ...(w.week.slice(0, 4) === String(new Date().getFullYear()) ? {} : { year: "2-digit" }) })),
      h("td", { class: "num" }, w.sets), h("td", { class: "num" }, w.reps), h("td", { class: "num" }, fmtS(w.tut_s, 0)),
      h("td", { class: "num" }, fmtS(w.concentric_s)), h("td", { class: "num" }, fmtS(w.eccentric_s)),
      h("td", { class: "num" }, fmtPct(w.slowdown_pct)), h("td", { class: "num" }, w.partial_reps))))));

  main.replaceChildren(title, exChips, dayChips, charts, h("h2", { style: "margin-top:1rem" }, "By week"), table);
  const plots = made.map(({ box, opts, data: d }) => {
    opts.width = Math.max(260, box.clientWidth - 16);
    return new uPlot(opts, d, box);
  });
  window.addEventListener("resize", () => {
    plots.forEach((p, i) => p.setSize({ width: Math.max(260, made[i].box.clientWidth - 16), height: 240 }));
  });
  window.repcounterChartsReady = plots.length;
})();
