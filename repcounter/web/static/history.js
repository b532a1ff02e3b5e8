/* /history: the sessions in the local store, newest first. */
"use strict";
(async () => {
  const { h, exName, fmtWhen, fmtClock, getJSON } = RC;
  const main = document.getElementById("main");
  let sessions;
  try { sessions = await getJSON("/api/sessions"); }
  catch (e) { main.replaceChildren(h("h1", {}, "History"), h("p", { class: "error" }, `Could not read the history: ${e.message}`)); return; }
  const list = h("div", { class: "sessions", "data-role": "sessions" });
  for (const s of sessions) {
    list.append(h("a", { class: "session", href: `/history/${encodeURIComponent(s.session_id)}`, "data-session": s.session_id },
      h("div", { class: "when" }, fmtWhen(s.started_at),
        s.status && s.status !== "done" ? h("span", { class: `status ${s.status}`, "data-role": "status" }, s.status) : null),
      h("div", { class: "what" }, (s.exercises || []).map(exName).join(" · ") || "no sets", " — ", s.source || ""),
      h("div", { class: "figs" },
        h("span", {}, h("b", { "data-role": "sets" }, s.set_count), " sets"),
        h("span", {}, h("b", { "data-role": "reps" }, s.rep_count), " reps"),
        h("span", {}, h("b", {}, fmtClock(s.duration_s)), " long"),
        (s.sensor_ids || []).length > 1 ? h("span", { class: "muted" }, `${s.sensor_ids.length} sensors`) : null)));
  }
  main.replaceChildren(h("h1", {}, "History"),
    sessions.length ? list : h("p", { class: "empty" }, "No sessions yet. Run `repcounter demo` to make one."));
})();
