/* /history/<session_id>: a session's sets, each with its reps' tempo as bars and a table. */
"use strict";
(async () => {
  const { h, exName, fmtS, fmtPct, fmtWhen, fmtClock, repBars, legend, getJSON } = RC;
  const main = document.getElementById("main");
  const id = decodeURIComponent(location.pathname.replace(/^\/history\//, "").replace(/\/$/, ""));
  let s;
  try { s = await getJSON(`/api/sessions/${encodeURIComponent(id)}`); }
  catch (e) { main.replaceChildren(h("h1", {}, "Session"), h("p", { class: "error" }, e.message), h("a", { href: "/history" }, "All sessions")); return; }
  document.title = `repcounter · ${fmtWhen(s.started_at)}`;
  const sets = s.sets || [];
  const multi = new Set(sets.map((x) => x.sensor_id)).size > 1;
  const parts = [
    h("p", {}, h("a", { href: "/history" }, "← All sessions")),
    h("h1", {}, fmtWhen(s.started_at),
      s.status && s.status !== "done" ? h("span", { class: `status ${s.status}` }, s.status) : null),
    h("div", { class: "figs", style: "display:flex;gap:1.4rem;flex-wrap:wrap;margin-bottom:1rem;font-size:1.15rem" },
      h("span", {}, h("b", { "data-role": "sets" }, sets.length), " sets"),
      h("span", {}, h("b", { "data-role": "reps" }, sets.reduce((a, x) => a + (x.rep_count || 0), 0)), " reps"),
      s.duration_s !== undefined ? h("span", {}, h("b", {}, fmtClock(s.duration_s)), " long") : null,
      h("span", { class: "muted" }, s.source || "")),
  ];
  if (!sets.length) parts.push(h("p", { class: "empty" }, "No sets in this session."));
  for (const set of sets) {
    const partial = new Set(set.partial_reps || []);
    const reps = (set.reps || []).map((r) => ({ ...r, partial: r.partial || partial.has(r.index) }));
    parts.push(h("section", { class: "set-card", "data-set": set.set_index },
      h("h2", {}, `Set ${set.set_index}: ${set.rep_count} × ${exName(set.exercise)}`, multi ? h("span", { class: "muted" }, ` (${set.sensor_id})`) : null,
        set.status && set.status !== "done" ? h("span", { class: `status ${set.status}` }, set.status.replace("_", " ")) : null),
      h("div", { class: "muted" }, `tempo ${set.tempo || "—"} · ${fmtS(set.time_under_tension_s, 0)} under tension · `,
        `pull ${fmtS(set.mean_concentric_s)} · lower ${fmtS(set.mean_eccentric_s)} · slowed ${fmtPct(set.slowdown_pct)}`,
        partial.size ? h("span", { class: "error" }, ` · ${partial.size} partial`) : null),
      reps.length ? repBars(reps) : null, reps.length ? legend() : null,
      h("div", { class: "table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, ...["Rep", "Pull", "Top", "Lower", "Bottom", "ROM", "Conf."].map((t, i) => h("th", { class: `${i ? "num" : ""}${i > 4 ? " hide-narrow" : ""}` }, t)))),
        h("tbody", {}, reps.map((r) => h("tr", { class: r.partial ? "partial" : "" },
          h("td", {}, r.partial ? `${r.index} P` : r.index),
          h("td", { class: "num" }, fmtS(r.concentric_s)), h("td", { class: "num" }, fmtS(r.pause_top_s)),
          h("td", { class: "num" }, fmtS(r.eccentric_s)), h("td", { class: "num" }, fmtS(r.pause_bottom_s)),
          h("td", { class: "num hide-narrow" }, RC.num(r.rom_deg) === null ? "—" : `${r.rom_deg.toFixed(0)}°`),
          h("td", { class: "num hide-narrow" }, RC.num(r.confidence) === null ? "—" : r.confidence.toFixed(2)))))))));
  }
  main.replaceChildren(...parts);
})();
