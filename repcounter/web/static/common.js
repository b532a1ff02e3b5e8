/* Shared helpers for the repcounter pages: DOM building, formatting, rep bars. No framework. */
"use strict";

const RC = (() => {
  const EXERCISES = {
    pullup: "Pull-up", chinup: "Chin-up", lat_pulldown: "Lat pulldown", seated_row: "Seated cable row",
    bent_over_row: "Bent-over row", other: "Other exercise", unknown: "Exercise",
  };
  const PHASES = [
    ["concentric_s", "pull"], ["pause_top_s", "top pause"], ["eccentric_s", "lower"], ["pause_bottom_s", "bottom pause"],
  ];

  /** h("div", {class: "x"}, "text", child...) -> element; strings become text nodes (never HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "style") el.style.cssText = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  const num = (x) => (typeof x === "number" && isFinite(x) ? x : null);
  const exName = (key) => EXERCISES[key] || (key ? String(key).replace(/_/g, " ") : "—");
  /** seconds -> "1.4 s" (or "—"). */
  const fmtS = (x, digits = 1) => (num(x) === null ? "—" : `${x.toFixed(digits)} s`);
  /** seconds -> "1:05" style clock. */
  function fmtClock(s) {
    if (num(s) === null || s < 0) return "—";
    s = Math.floor(s);
    const m = Math.floor(s / 60), r = s % 60;
    return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}:${String(r).padStart(2, "0")}`
                   : `${m}:${String(r).padStart(2, "0")}`;
  }
  const fmtPct = (x) => (num(x) === null ? "—" : `${x > 0 ? "+" : ""}${x.toFixed(0)}%`);
  /** Unix s -> local "Mon 24 Nov 2026, 18:05". */
  function fmtWhen(unix) {
    if (num(unix) === null) return "—";
    return new Date(unix * 1000).toLocaleString(undefined, {
      weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
  }

  /** Rep bars: one stacked bar per rep (pull, top pause, lower, bottom pause), height = seconds. */
  function repBars(reps) {
    const total = (r) => PHASES.reduce((a, [k]) => a + (num(r[k]) || 0), 0);
    const scale = Math.max(4, ...reps.map(total));
    const bars = h("div", { class: "bars", role: "img",
      "aria-label": `${reps.length} reps; bar height is rep duration` });
    const labels = h("div", { class: "bar-labels" });
    for (const r of reps) {
      const partial = !!r.partial;
      const bar = h("div", { class: `bar${partial ? " partial" : ""}${r.complete === false ? " pending" : ""}`,
        "data-rep": r.index, title: `rep ${r.index}: ` + PHASES.map(([k, n]) => `${n} ${fmtS(r[k])}`).join(", ") });
      for (const [k] of PHASES) {
        const v = num(r[k]);
        if (v && v > 0) bar.append(h("div", { class: `seg ${k}`, style: `height:${(100 * v / scale).toFixed(2)}%` }));
      }
      bars.append(bar);
      labels.append(h("span", { class: partial ? "partial" : "" }, partial ? `${r.index}P` : r.index));
    }
    return h("div", { class: "bars-wrap" }, bars, labels);
  }

  function legend() {
    return h("div", { class: "legend" },
      ...PHASES.map(([k, n]) => h("span", {}, h("i", { class: k }), n)),
      h("span", {}, h("i", { class: "partial" }), "partial rep (P)"));
  }

  async function getJSON(url) {
    const res = await fetch(url, { cache: "no-store" });
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) throw new Error((body && body.error) || `${res.status} ${res.statusText}`);
    return body;
  }

  /** Highlight the current page in the nav. */
  function markNav() {
    const path = location.pathname;
    for (const a of document.querySelectorAll("nav a")) {
      const target = a.getAttribute("href");
      if (target === "/" ? path === "/" : path.startsWith(target)) a.classList.add("here");
    }
  }
  document.addEventListener("DOMContentLoaded", markNav);

  return { h, num, exName, fmtS, fmtClock, fmtPct, fmtWhen, repBars, legend, getJSON, PHASES };
})();
