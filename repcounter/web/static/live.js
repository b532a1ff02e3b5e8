/* Live page: one card per sensor, updated by server-sent events from /events (no polling).
   The first message is a snapshot of the whole state, so a page opened mid-set is right at once.
   window.repcounterLatency collects, per announced rep, the seconds from the engine's emit
   (envelope emitted_at) to the DOM update (dom_s) and to the next frame (frame_s). */
"use strict";
(() => {
  const { h, exName, fmtS, fmtClock, fmtPct, repBars, legend } = RC;
  const cardsEl = document.getElementById("cards");
  const conn = document.getElementById("conn");
  const banner = document.getElementById("banner");
  const cards = new Map();           // sensor_id -> {el, data}
  let session = null;
  let ended = false;
  window.repcounterLatency = [];
  window.repcounterMessages = 0;

  function lastSetLine(s, inSet) {
    if (!s) return null;
    const partial = (s.partial_reps || []).length;
    return h("div", { class: "lastset", "data-role": "lastset" },
      h("b", {}, inSet ? `Last set (${s.set_index}): ${s.rep_count} reps` : `Set ${s.set_index} done: ${s.rep_count} reps`), ` ${exName(s.exercise)} · tempo ${s.tempo || "—"} · `,
      `${fmtS(s.time_under_tension_s, 0)} under tension · slowed ${fmtPct(s.slowdown_pct)}`,
      partial ? h("span", { class: "error" }, ` · ${partial} partial`) : null);
  }

  function setList(sets) {
    if (!sets.length) return null;
    const rows = sets.slice().reverse().map((s) => h("tr", { "data-set": s.set_index },
      h("td", {}, s.set_index), h("td", {}, exName(s.exercise)), h("td", { class: "num" }, s.rep_count),
      h("td", { class: "hide-narrow" }, s.tempo || "—"), h("td", { class: "num" }, fmtS(s.time_under_tension_s, 0)),
      h("td", { class: "num" }, (s.partial_reps || []).length || "")));
    return h("div", { class: "table-wrap" }, h("table", { class: "setlist", "data-role": "sets" },
      h("thead", {}, h("tr", {}, h("th", {}, "Set"), h("th", {}, "Exercise"), h("th", { class: "num" }, "Reps"),
        h("th", { class: "hide-narrow" }, "Tempo"), h("th", { class: "num" }, "TUT"), h("th", { class: "num" }, "Partial"))),
      h("tbody", {}, rows)));
  }

  function render(card) {
    const inSet = card.in_set;
    const count = inSet || card.reps.length ? card.rep_count : 0;
    const over = ended || card.state === "offline";
    const restFor = card.last_set_emitted_at ? Date.now() / 1000 - card.last_set_emitted_at : null;
    const phase = inSet ? h("span", { class: "phase inset" }, "in set")
      : !card.set_index ? null
      : over ? h("span", { class: "phase rest" }, "done")
      : h("span", { class: "phase rest", "data-role": "rest" }, `rest ${fmtClock(restFor)}`);
    return h("section", { class: `card${inSet ? " inset" : ""}`, "data-sensor": card.sensor_id },
      h("div", { class: "head" },
        h("span", { class: "sensor" }, card.sensor_id),
        h("span", { class: `pill ${card.state}`, "data-role": "state" }, card.state),
        card.battery_pct !== null && card.battery_pct !== undefined ? h("span", { class: "battery" }, `battery ${card.battery_pct}%`) : null,
        card.message ? h("span", { class: "status-msg" }, card.message) : null),
      h("div", { class: "exercise-line" },
        h("span", { class: "exercise", "data-role": "exercise" }, card.exercise ? exName(card.exercise) : "Get ready"),
        card.set_index ? h("span", { class: "setno", "data-role": "set" }, `Set ${card.set_index}`) : null),
      h("div", { class: "main-row" },
        h("div", { class: "count-row" },
          h("div", { class: `repcount${inSet ? "" : " resting"}`, "data-role": "count" }, count),
          h("div", { class: "count-side" },
            h("span", { class: "count-label" }, count === 1 ? "rep" : "reps"),
            phase,
            h("span", { class: "tut" }, h("b", { "data-role": "tut" }, fmtS(card.time_under_tension_s)), " under tension"),
            h("span", { class: "muted" }, `${card.total_reps} reps this session`))),
        card.reps.length ? h("div", { class: "reps-block" }, repBars(card.reps), legend()) : null),
      lastSetLine(card.last_set, inSet),
      card.sets.length ? h("h2", { class: "sets-title" }, "Sets this session") : null,
      setList(card.sets));
  }

  function place(card) {
    document.getElementById("empty")?.remove();
    const el = render(card);
    const old = cards.get(card.sensor_id);
    if (old) old.el.replaceWith(el);
    else {
      // keep cards sorted by sensor id
      const after = [...cards.keys()].sort().find((k) => k > card.sensor_id);
      if (after) cardsEl.insertBefore(el, cards.get(after).el); else cardsEl.append(el);
    }
    cards.set(card.sensor_id, { el, data: card });
  }

  function showBanner(text) {
    banner.hidden = !text;
    banner.replaceChildren(...(text ? [text, " ", h("a", { href: "/history" }, "See the history")] : []));
  }

  function snapshot(msg) {
    session = msg.session;
    for (const { el } of cards.values()) el.remove();
    cards.clear();
    for (const card of msg.sensors) place(card);
    if (!msg.sensors.length) cardsEl.replaceChildren(h("p", { class: "empty", id: "empty" }, "Waiting for the sensor…"));
    ended = !!msg.ended;
    showBanner(ended ? "Session over." : null);
    document.title = session ? "repcounter · live" : "repcounter";
  }

  function onMessage(ev) {
    const msg = JSON.parse(ev.data);
    window.repcounterMessages++;
    if (msg.type === "snapshot") snapshot(msg);
    else if (msg.type === "event" || msg.type === "status") {
      place(msg.card);
      if (msg.type === "event" && msg.event.kind === "rep_announced") {
        const rec = { sensor_id: msg.event.sensor_id, seq: msg.event.seq, set_index: msg.event.set_index,
          rep: msg.event.rep.index, emitted_at: msg.event.emitted_at, dom_s: Date.now() / 1000 - msg.event.emitted_at };
        window.repcounterLatency.push(rec);
        requestAnimationFrame(() => { rec.frame_s = Date.now() / 1000 - rec.emitted_at; });
      }
    } else if (msg.type === "ended") {
      ended = true;
      for (const { data } of cards.values()) place(data);
      showBanner("Session over.");
    }
  }

  // rest timers tick locally (display only; data still comes only by push)
  setInterval(() => {
    for (const { el, data } of cards.values()) {
      const rest = el.querySelector('[data-role="rest"]');
      if (rest && data.last_set_emitted_at) rest.textContent = `rest ${fmtClock(Date.now() / 1000 - data.last_set_emitted_at)}`;
    }
  }, 1000);

  const es = new EventSource("/events");
  es.onopen = () => { conn.textContent = "live"; conn.className = "conn live"; };
  es.onerror = () => { conn.textContent = "reconnecting…"; conn.className = "conn down"; };
  es.onmessage = onMessage;
})();
