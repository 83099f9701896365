// The tagging page's one script: keyboard coding of a video, the tag panel, and saves through the server's
// EvidenceKit calls. Written here, no build step, no library, nothing from another site. Nothing is kept in the
// browser's storage: the page's state lives in this script and in the library.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const help = $("help");

  function toggleHelp() {
    if (help.open) help.close(); else help.showModal();
  }
  $("help-button").addEventListener("click", toggleHelp);

  const page = $("page");
  if (!page) {
    document.addEventListener("keydown", (event) => {
      if (event.key === "?") toggleHelp();
    });
    return;
  }

  const data = JSON.parse(page.dataset.page);
  const video = $("player");
  const frame = 1 / (data.frameRate > 0 ? data.frameRate : 25);
  const speeds = [0.25, 0.5, 1, 2, 4];
  const state = {
    inMs: null, outMs: null, edge: "in", speed: 2, pupil: null, areas: new Set(), responses: [],
    also: new Set(data.appearances.pupils), moments: data.moments, editing: null, watchedMs: 0, reportedMs: 0,
  };
  const pupils = new Map(data.choices.pupils.map((p) => [p.handle, p]));

  // ---- times ---------------------------------------------------------------------------------------------------
  function clock(ms) {
    if (ms === null || ms === undefined) return "–";
    const total = Math.max(0, ms) / 1000;
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const sec = s.toFixed(3).padStart(6, "0");
    return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
  }
  const durationMs = () => (video && isFinite(video.duration) ? video.duration * 1000 : data.durationMs || 0);
  const nowMs = () => Math.round(video.currentTime * 1000);

  // ---- posting -------------------------------------------------------------------------------------------------
  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}),
      credentials: "same-origin",
    });
    let answer = null;
    try { answer = await response.json(); } catch (_) { answer = null; }
    if (response.status === 401) {
      location.reload();
      throw new Error("locked");
    }
    return { ok: response.ok, status: response.status, answer };
  }

  // ---- errors beside their fields ------------------------------------------------------------------------------
  const errorFor = {
    pupil: "error-pupil", area: "error-area", response: "error-responses", intent: "error-intent",
    prompt: "error-prompt", state: "error-state", outcome: "error-outcome", note: "error-note",
  };
  function clearErrors() {
    for (const element of document.querySelectorAll(".error")) element.textContent = "";
  }
  function showError(error) {
    const id = errorFor[error.field] || "error-general";
    $(id).textContent = error.message;
    const field = { pupil: "pupil", response: "response", intent: "intent", prompt: "prompt", state: "state", outcome: "outcome", note: "note" }[error.field];
    if (field) $(field).setAttribute("aria-invalid", "true");
  }

  // ---- the pupil ----------------------------------------------------------------------------------------------
  const pupilInput = $("pupil");
  const pupilList = $("pupil-names");
  const pupilChips = $("pupil-chips");
  const alsoChips = $("also-chips");

  function renderPupils() {
    pupilList.replaceChildren(...data.choices.pupils.map((p) => {
      const option = document.createElement("option");
      option.value = p.name;
      return option;
    }));
    pupilChips.replaceChildren(...data.choices.pupils.map((p) => {
      const wrap = document.createElement("span");
      wrap.className = "chip-wrap";
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "chip" + (p.canTag ? "" : " no-consent");
      chip.textContent = p.name;
      chip.dataset.handle = p.handle;
      chip.setAttribute("aria-pressed", String(state.pupil === p.handle));
      if (!p.canTag) {
        chip.setAttribute("aria-disabled", "true");
        chip.setAttribute("aria-describedby", `why-${p.handle}`);
      }
      chip.addEventListener("click", () => choosePupil(p.handle));
      wrap.append(chip);
      if (!p.canTag) {
        const why = document.createElement("span");
        why.id = `why-${p.handle}`;
        why.className = "why";
        why.textContent = p.reason;
        wrap.append(why);
      }
      return wrap;
    }));
    alsoChips.replaceChildren(...data.choices.pupils.filter((p) => p.handle !== state.pupil).map((p) => {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "chip";
      chip.textContent = p.name;
      chip.setAttribute("aria-pressed", String(state.also.has(p.handle)));
      chip.addEventListener("click", () => toggleAlso(p.handle));
      return chip;
    }));
  }

  function choosePupil(handle) {
    const pupil = pupils.get(handle);
    $("error-pupil").textContent = "";
    pupilInput.removeAttribute("aria-invalid");
    state.pupil = handle;
    pupilInput.value = pupil ? pupil.name : handle;
    if (pupil && !pupil.canTag) {
      // Shown at once; the server refuses the save with the same reason, so nothing is created.
      $("error-pupil").textContent = `${pupil.name}: ${pupil.reason}`;
    }
    const outcome = $("outcome");
    const options = [new Option("–", "")];
    (pupil ? pupil.outcomes : []).forEach((text, index) => options.push(new Option(`${index + 1}. ${text}`, String(index + 1))));
    outcome.replaceChildren(...options);
    renderPupils();
  }

  function matchPupil(text) {
    const needle = text.trim().toLowerCase();
    if (!needle) return null;
    const all = data.choices.pupils;
    return all.find((p) => p.handle === needle || p.name.toLowerCase() === needle)
      || all.find((p) => p.name.toLowerCase().startsWith(needle) || p.handle.startsWith(needle))
      || all.find((p) => p.name.toLowerCase().includes(needle));
  }

  pupilInput.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    event.stopPropagation();
    const found = matchPupil(pupilInput.value);
    if (!found) {
      $("error-pupil").textContent = `No pupil matches “${pupilInput.value}”.`;
      return;
    }
    choosePupil(found.handle);
    pupilInput.blur();
  });
  pupilInput.addEventListener("change", () => {
    const found = matchPupil(pupilInput.value);
    if (found && found.name === pupilInput.value) choosePupil(found.handle);
  });

  async function toggleAlso(handle) {
    const adding = !state.also.has(handle);
    if (!adding) return; // Appearances are added, not taken back, here (as `evidence appearances --add`).
    const result = await post(`/assets/${data.asset}/appearances`, { add: [handle] });
    if (result.ok) showAppearances(result.answer); else showError(result.answer.error);
  }

  function showAppearances(view) {
    state.also = new Set(view.pupils);
    $("none-else").checked = view.noneElse;
    $("appearances-state").textContent = view.reviewed
      ? `Reviewed by ${view.reviewedBy}${view.noneElse ? ": nobody else appears." : "."}`
      : "Not reviewed yet: it stays out of anything shared until someone checks who else is visible.";
    renderPupils();
  }

  $("none-else").addEventListener("change", async (event) => {
    if (!event.target.checked) return;
    const result = await post(`/assets/${data.asset}/appearances`, { reviewed: true, noneElse: true });
    if (result.ok) showAppearances(result.answer); else showError(result.answer.error);
  });

  // ---- areas and responses ------------------------------------------------------------------------------------
  const areaButtons = [...document.querySelectorAll(".area")];
  function toggleArea(index) {
    const button = areaButtons[index];
    if (!button) return;
    const area = button.dataset.area;
    if (state.areas.has(area)) state.areas.delete(area); else state.areas.add(area);
    button.setAttribute("aria-pressed", String(state.areas.has(area)));
    $("error-area").textContent = "";
  }
  areaButtons.forEach((button, index) => button.addEventListener("click", () => toggleArea(index)));

  const responseInput = $("response");
  function renderResponses() {
    $("response-chips").replaceChildren(...state.responses.map((term) => {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "chip";
      chip.setAttribute("aria-pressed", "true");
      chip.setAttribute("aria-label", `${term} (remove)`);
      chip.textContent = `${term} ×`;
      chip.addEventListener("click", () => {
        state.responses = state.responses.filter((t) => t !== term);
        renderResponses();
      });
      return chip;
    }));
  }
  responseInput.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    event.stopPropagation();
    const typed = responseInput.value.trim().toLowerCase();
    if (!typed) return;
    const term = data.choices.responses.find((t) => t === typed) || data.choices.responses.find((t) => t.startsWith(typed)) || typed;
    if (!state.responses.includes(term)) state.responses.push(term);
    responseInput.value = "";
    renderResponses();
  });

  // ---- the moments so far and the timeline --------------------------------------------------------------------
  const timeline = $("timeline");
  function renderMoments() {
    const list = $("moments");
    // Moments whose observations were all untagged stay in the library's history, not in this list.
    list.replaceChildren(...state.moments.filter((moment) => moment.observations.length > 0).map((moment) => {
      const item = document.createElement("li");
      const head = document.createElement("button");
      head.type = "button";
      head.className = "moment-range";
      head.textContent = moment.startMs === null || moment.startMs === undefined ? "Whole" : `${clock(moment.startMs)} – ${clock(moment.endMs)}`;
      head.addEventListener("click", () => { if (video && moment.startMs !== null) video.currentTime = moment.startMs / 1000; });
      item.append(head);
      for (const o of moment.observations) {
        const line = document.createElement("div");
        line.className = "observation";
        const name = (pupils.get(o.pupil) || { name: o.pupil }).name;
        const text = document.createElement("span");
        text.textContent = `${name}: ${o.areas.join(", ")}${o.responses.length ? " · " + o.responses.join(", ") : ""}${o.note ? " · “" + o.note + "”" : ""}`;
        const edit = document.createElement("button");
        edit.type = "button";
        edit.className = "quiet";
        edit.textContent = "Edit";
        edit.setAttribute("aria-label", `Edit ${o.id}`);
        edit.addEventListener("click", () => startEdit(o));
        const untag = document.createElement("button");
        untag.type = "button";
        untag.className = "quiet";
        untag.textContent = "Untag";
        untag.setAttribute("aria-label", `Untag ${o.id}`);
        untag.addEventListener("click", async () => {
          const result = await post(`/observations/${o.id}/untag`);
          if (result.ok) { state.moments = result.answer.moments; renderMoments(); $("saved").textContent = `Untagged ${o.id} (its history is kept).`; }
          else showError(result.answer.error);
        });
        line.append(text, " ", edit, " ", untag);
        item.append(line);
      }
      return item;
    }));
    if (!timeline) return;
    for (const old of timeline.querySelectorAll(".segment")) old.remove();
    const total = durationMs();
    if (!total) return;
    for (const moment of state.moments) {
      if (moment.startMs === null || moment.startMs === undefined || moment.observations.length === 0) continue;
      const segment = document.createElement("div");
      segment.className = "segment";
      segment.style.left = `${(100 * moment.startMs) / total}%`;
      segment.style.width = `${Math.max(0.4, (100 * (moment.endMs - moment.startMs)) / total)}%`;
      segment.title = `${clock(moment.startMs)} – ${clock(moment.endMs)}`;
      timeline.append(segment);
    }
  }

  function renderRange() {
    $("in-time").textContent = clock(state.inMs);
    $("out-time").textContent = clock(state.outMs);
    $("in-time").classList.toggle("selected", state.edge === "in");
    $("out-time").classList.toggle("selected", state.edge === "out");
    const range = $("range");
    const total = durationMs();
    if (state.inMs === null || !total) { range.hidden = true; return; }
    const end = state.outMs === null ? state.inMs : state.outMs;
    range.hidden = false;
    range.style.left = `${(100 * Math.min(state.inMs, end)) / total}%`;
    range.style.width = `${Math.max(0.3, (100 * Math.abs(end - state.inMs)) / total)}%`;
  }

  // ---- the player -----------------------------------------------------------------------------------------------
  function setSpeed(index) {
    state.speed = Math.max(0, Math.min(speeds.length - 1, index));
    video.playbackRate = speeds[state.speed];
    $("speed").textContent = `${speeds[state.speed]}×`;
  }
  function togglePlay() {
    if (video.paused) video.play().catch(() => {}); else video.pause();
  }
  function step(frames) {
    video.pause();
    video.currentTime = Math.max(0, Math.min(video.duration || Infinity, video.currentTime + frames * frame));
  }
  function mark(edge) {
    const offset = Math.max(0, parseFloat($("offset").value) || 0);
    const at = Math.max(0, Math.round((video.currentTime - offset) * 1000));
    if (edge === "in") state.inMs = at; else state.outMs = at;
    state.edge = edge;
    renderRange();
  }
  function nudge(frames) {
    const key = state.edge === "in" ? "inMs" : "outMs";
    if (state[key] === null) return;
    state[key] = Math.max(0, Math.round(state[key] + frames * frame * 1000));
    video.pause();
    video.currentTime = state[key] / 1000;
    renderRange();
  }
  function jumpMoment(direction) {
    const now = nowMs();
    const starts = state.moments.filter((m) => m.startMs !== null && m.startMs !== undefined && m.observations.length > 0).map((m) => m.startMs).sort((a, b) => a - b);
    const target = direction > 0 ? starts.find((s) => s > now + 10) : starts.reverse().find((s) => s < now - 10);
    if (target !== undefined) video.currentTime = target / 1000;
  }

  if (video) {
    const playButton = $("play");
    playButton.addEventListener("click", togglePlay);
    $("mark-in").addEventListener("click", () => mark("in"));
    $("mark-out").addEventListener("click", () => mark("out"));
    $("in-time").addEventListener("click", () => { state.edge = "in"; renderRange(); });
    $("out-time").addEventListener("click", () => { state.edge = "out"; renderRange(); });
    video.addEventListener("play", () => { playButton.textContent = "Pause (Space)"; });
    video.addEventListener("pause", () => { playButton.textContent = "Play (Space)"; reportWatched(); });
    video.addEventListener("loadedmetadata", () => { renderMoments(); renderRange(); });
    const tick = () => {
      $("clock").textContent = clock(nowMs());
      const total = durationMs();
      if (total) $("playhead").style.left = `${(100 * video.currentTime * 1000) / total}%`;
      state.watchedMs = Math.max(state.watchedMs, nowMs());
      if ($("loop").checked && state.inMs !== null && state.outMs !== null && state.outMs > state.inMs
          && video.currentTime * 1000 >= state.outMs) video.currentTime = state.inMs / 1000;
      if (!video.paused) requestAnimationFrame(tick);
    };
    video.addEventListener("timeupdate", tick);
    video.addEventListener("seeked", tick);
    video.addEventListener("play", () => requestAnimationFrame(tick));
    timeline.addEventListener("click", (event) => {
      const box = timeline.getBoundingClientRect();
      if (durationMs()) video.currentTime = (((event.clientX - box.left) / box.width) * durationMs()) / 1000;
    });
    setInterval(reportWatched, 15000);
    addEventListener("pagehide", reportWatched);
  }

  function reportWatched() {
    if (!video || state.watchedMs <= state.reportedMs + 500) return;
    state.reportedMs = state.watchedMs;
    fetch(`/assets/${data.asset}/watched`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ toMs: state.watchedMs }),
      keepalive: true, credentials: "same-origin",
    }).catch(() => {});
  }

  // ---- saving ---------------------------------------------------------------------------------------------------
  const value = (id) => { const text = $(id).value.trim(); return text === "" ? null : text; };
  function fields() {
    return {
      areas: [...state.areas], responses: state.responses, intent: value("intent"), prompt: value("prompt"),
      activity: value("activity"), setting: value("setting"), equipment: value("equipment"), state: value("state"),
      outcome: value("outcome") === null ? null : Number(value("outcome")), note: value("note"),
      cues: [], supports: [], withStaff: [],
    };
  }

  function resetMoment() {
    state.inMs = null; state.outMs = null; state.edge = "in"; state.pupil = null; state.areas.clear(); state.responses = [];
    state.editing = null;
    pupilInput.value = ""; $("note").value = ""; $("outcome").value = ""; $("intent").value = ""; $("state").value = "";
    areaButtons.forEach((b) => b.setAttribute("aria-pressed", "false"));
    $("save").textContent = "Save moment (Enter)";
    $("cancel-edit").hidden = true;
    renderResponses(); renderPupils(); renderRange();
  }

  async function save() {
    clearErrors();
    for (const element of document.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
    if (!state.pupil) {
      const typed = matchPupil(pupilInput.value);
      if (typed) choosePupil(typed.handle);
    }
    if (!state.pupil) { showError({ field: "pupil", message: "Choose the pupil first." }); return; }
    if (state.editing) {
      const result = await post(`/observations/${state.editing}/edit`, { fields: fields() });
      if (!result.ok) return showError(result.answer.error);
      state.moments = result.answer.moments;
      $("saved").textContent = `Saved ${result.answer.observation}: the edit is a new version; the old one is kept.`;
      resetMoment(); renderMoments();
      return;
    }
    const body = { pupil: state.pupil, fields: fields() };
    if (video) {
      if (state.inMs === null || state.outMs === null) {
        return showError({ field: "general", message: "Mark where the moment starts (I) and ends (O) first." });
      }
      body.from = Math.min(state.inMs, state.outMs);
      body.to = Math.max(state.inMs, state.outMs);
    }
    const result = await post(`/assets/${data.asset}/moments`, body);
    if (!result.ok) return showError(result.answer.error);
    state.moments = result.answer.moments;
    const name = (pupils.get(state.pupil) || { name: state.pupil }).name;
    $("saved").textContent = `Saved ${result.answer.moment} for ${name}.`;
    $("undo").disabled = false;
    resetMoment(); renderMoments();
  }

  function startEdit(o) {
    resetMoment();
    state.editing = o.id;
    choosePupil(o.pupil);
    for (const area of o.areas) {
      const index = areaButtons.findIndex((b) => b.dataset.area === area);
      if (index >= 0) toggleArea(index);
    }
    state.responses = [...o.responses];
    for (const id of ["intent", "prompt", "activity", "setting", "equipment", "state", "note"]) $(id).value = o[id] || "";
    $("outcome").value = o.outcome === null ? "" : String(o.outcome);
    $("save").textContent = `Save changes to ${o.id}`;
    $("cancel-edit").hidden = false;
    renderResponses();
    pupilInput.focus();
  }
  $("cancel-edit").addEventListener("click", resetMoment);

  async function undo() {
    const result = await post("/undo");
    if (!result.ok) return showError(result.answer.error);
    state.moments = result.answer.moments;
    $("saved").textContent = `Undone: ${result.answer.observation} was untagged (its history is kept).`;
    renderMoments();
  }
  $("undo").addEventListener("click", undo);

  $("tag").addEventListener("submit", (event) => { event.preventDefault(); save(); });

  // ---- keys -------------------------------------------------------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLInputElement && !["checkbox", "radio", "button"].includes(target.type)
      || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); save(); return; }
    if (event.key === "Escape") { if (typing) target.blur(); return; }
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter") {
      if (target instanceof HTMLButtonElement && target.id !== "save") return; // a focused button does its own thing
      event.preventDefault(); save(); return;
    }
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === "?") { event.preventDefault(); toggleHelp(); return; }
    if (key >= "1" && key <= "5") { event.preventDefault(); toggleArea(Number(key) - 1); return; }
    if (key === "/") { event.preventDefault(); pupilInput.focus(); pupilInput.select(); return; }
    if (key === "u") { event.preventDefault(); undo(); return; }
    if (!video) return;
    const actions = {
      " ": togglePlay, "i": () => mark("in"), "o": () => mark("out"), ",": () => step(-1), ".": () => step(1),
      "[": () => nudge(-1), "]": () => nudge(1), "p": () => jumpMoment(-1), "n": () => jumpMoment(1),
      "r": () => { $("loop").checked = !$("loop").checked; },
      "k": () => { setSpeed(2); togglePlay(); },
      "l": () => { setSpeed(state.speed + 1); if (video.paused) video.play().catch(() => {}); },
      "j": () => {
        if (state.speed === 0) video.currentTime = Math.max(0, video.currentTime - 2);
        setSpeed(state.speed - 1);
      },
    };
    const action = actions[key];
    if (action) { event.preventDefault(); action(); }
  });

  // ---- start -------------------------------------------------------------------------------------------------------
  for (const id of ["activity", "setting", "equipment", "prompt"]) if (data.context[id]) $(id).value = data.context[id];
  renderPupils();
  showAppearances(data.appearances);
  renderResponses();
  renderMoments();
  renderRange();
  document.body.dataset.ready = "true";
})();
