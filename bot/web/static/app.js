// Staff dashboard (Telegram Mini App). A thin view: every number, label and sentence comes
// from the bot's API (/app/api/...), every change is a request the bot's services decide.
// Text from the server is always set as text, never as HTML, except the announcement
// preview, which is the bot's own escaped HTML.
"use strict";

(function () {
  const tg = window.Telegram && window.Telegram.WebApp;
  const state = { texts: {}, lang: "id", initData: "", maxText: 3500, stack: [], rights: [] };
  // What the signed-in staff member's role may use (the API refuses the rest anyway).
  const may = (right) => state.rights.includes(right);

  // ---- launch parameters: Telegram's script, or #tgWebAppData=... / ?tgWebAppData=... ------
  function launchParam(name) {
    const fromHash = new URLSearchParams(window.location.hash.slice(1)).get(name);
    return fromHash || new URLSearchParams(window.location.search).get(name) || "";
  }

  function readInitData() {
    return (tg && tg.initData) || launchParam("tgWebAppData");
  }

  function applyTheme() {
    // Telegram's script sets --tg-theme-* itself; without it, take the launch parameter.
    if (tg && tg.themeParams && Object.keys(tg.themeParams).length) return;
    let params = {};
    try {
      params = JSON.parse(launchParam("tgWebAppThemeParams") || "{}");
    } catch (error) {
      params = {};
    }
    for (const [key, value] of Object.entries(params)) {
      if (/^[a-z_]+$/.test(key) && /^#[0-9a-fA-F]{3,8}$/.test(String(value))) {
        document.documentElement.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
      }
    }
  }

  function guessLanguage() {
    let code = "";
    try {
      const user = JSON.parse(new URLSearchParams(state.initData).get("user") || "{}");
      code = user.language_code || "";
    } catch (error) {
      code = "";
    }
    code = code || navigator.language || "";
    return code.toLowerCase().startsWith("en") ? "en" : "id";
  }

  // ---- strings --------------------------------------------------------------------------
  function T(key, values) {
    const template = state.texts[key] || key;
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      values && name in values ? String(values[name]) : whole
    );
  }

  // ---- elements -------------------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  const main = () => document.getElementById("main");

  function show(...nodes) {
    main().replaceChildren(...nodes.flat());
  }

  let toastTimer = null;
  function toast(text, isError) {
    const box = document.getElementById("toast");
    box.textContent = text;
    box.classList.toggle("error", Boolean(isError));
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (box.hidden = true), 4000);
  }

  function setTitle(text) {
    document.getElementById("title").textContent = text;
    document.title = text;
  }

  // ---- the API --------------------------------------------------------------------------
  class ApiFailure extends Error {
    constructor(status, body) {
      super("API " + status);
      this.status = status;
      this.body = body || {};
    }
    sentence() {
      const message = this.body.message;
      if (message && typeof message === "object") return message[state.lang] || message.id;
      return T("app.error.network");
    }
  }

  async function api(path, options) {
    const init = Object.assign({ method: "GET" }, options || {});
    init.headers = { "X-Telegram-Init-Data": state.initData, Accept: "application/json" };
    if (init.json !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(init.json);
      delete init.json;
    }
    let response;
    try {
      response = await fetch("api/" + path, init);
    } catch (error) {
      throw new ApiFailure(0, null);
    }
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (!response.ok) throw new ApiFailure(response.status, body);
    return body;
  }

  // 401/403: the whole page becomes the refusal; anything else is a passing message.
  function fail(error) {
    if (error instanceof ApiFailure && (error.status === 401 || error.status === 403)) {
      state.stack = [];
      updateBack();
      show(
        el(
          "div",
          { class: "message", role: "alert", "data-refusal": error.body.error || "refused" },
          el("div", { class: "icon", "aria-hidden": "true", text: "🔒" }),
          el("p", { text: error.sentence() })
        )
      );
      return;
    }
    toast(error instanceof ApiFailure ? error.sentence() : String(error), true);
  }

  // ---- navigation -----------------------------------------------------------------------
  function go(screen) {
    document.getElementById("toast").hidden = true;
    state.stack.push(screen);
    updateBack();
    return screen().catch(fail);
  }

  function back() {
    if (state.stack.length < 2) return;
    state.stack.pop();
    updateBack();
    state.stack[state.stack.length - 1]().catch(fail);
  }

  function updateBack() {
    const canGoBack = state.stack.length > 1;
    document.getElementById("back").hidden = !canGoBack;
    if (tg && tg.BackButton) {
      if (canGoBack) tg.BackButton.show();
      else tg.BackButton.hide();
    }
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  function requestId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  // ---- screen: trainings ------------------------------------------------------------------
  function trainingCard(training) {
    const share = training.capacity ? Math.min(100, (100 * training.confirmed) / training.capacity) : 0;
    const meter = el("div", { class: "meter", "aria-hidden": "true" }, el("span"));
    meter.firstChild.style.setProperty("width", share + "%");
    return el(
      "button",
      { type: "button", class: "card", "data-code": training.code, onclick: () => go(() => trainingScreen(training.id, "people")) },
      el("div", { class: "row spread" },
        el("span", { class: "code", text: training.code }),
        el("span", { class: "tag " + training.status, text: training.status_label })),
      el("div", { class: "title", text: training.title }),
      el("div", { class: "hint", text: training.dates }),
      meter,
      el("div", { class: "row spread" },
        el("span", { "data-count": "seats", text: T("app.seats", training) }),
        el("span", { class: "hint", "data-count": "waiting", text: T("app.waiting", { waiting: training.waitlisted }) })),
      el("div", { class: "chips" },
        training.days.map((day) =>
          el("span", { class: "chip static", "data-day": day.number, text: T("app.day_checkins", { n: day.number, present: day.present }) })))
    );
  }

  async function trainingsScreen() {
    setTitle(T("app.title"));
    const data = await api("trainings");
    const cards = data.trainings.map(trainingCard);
    const tools = [];
    if (may("announce")) tools.push(el("button", { type: "button", class: "btn secondary", onclick: () => go(() => announceScreen(null)) }, T("app.announce")));
    if (may("manage_staff")) tools.push(el("button", { type: "button", class: "btn secondary", id: "open-staff", onclick: () => go(staffScreen) }, T("app.staff.open")));
    show(
      ...tools,
      el("h2", { class: "hint", text: T("app.trainings") }),
      cards.length ? cards : el("p", { class: "hint", text: T("app.trainings.empty") })
    );
  }

  // ---- screen: one training ---------------------------------------------------------------
  function numbers(training) {
    const cell = (key, value, name) => el("div", { "data-count": name }, el("b", { text: value }), el("span", { text: T(key) }));
    return el("div", { class: "section numbers" },
      cell("app.count.confirmed", training.confirmed, "confirmed"),
      cell("app.count.capacity", training.capacity, "capacity"),
      cell("app.count.waiting", training.waitlisted, "waiting"),
      cell("app.count.cancelled", training.cancelled, "cancelled"));
  }

  async function trainingScreen(trainingId, tab) {
    const training = await api("trainings/" + trainingId);
    setTitle(training.code);
    const body = el("div", { id: "tab-body" });
    const tabs = [["people", "app.tab.people", "see_people"], ["checkin", "app.tab.checkin", "check_in"], ["charts", "app.tab.charts", "see_counts"]]
      .filter(([, , right]) => may(right));
    if (!tabs.some(([name]) => name === tab) && tabs.length) tab = tabs[0][0];
    const tabBar = el("div", { class: "tabs", role: "tablist" },
      tabs.map(([name, key]) =>
        el("button", { type: "button", role: "tab", "data-tab": name, "aria-selected": String(name === tab), onclick: () => openTab(name) }, T(key))));
    function openTab(name) {
      for (const button of tabBar.children) button.setAttribute("aria-selected", String(button.dataset.tab === name));
      const render = { people: peopleTab, checkin: checkinTab, charts: chartsTab }[name];
      render(training, body).catch(fail);
    }
    show(
      el("div", { class: "section" },
        el("div", { class: "row spread" },
          el("span", { class: "code", text: training.code }),
          el("span", { class: "tag " + training.status, text: training.status_label })),
        el("div", { class: "title", text: training.title }),
        el("div", { class: "hint", text: training.dates }),
        el("div", { class: "hint", text: training.venue })),
      numbers(training),
      el("div", { class: "section" },
        may("export") ? el("button", { type: "button", class: "btn", id: "export", onclick: (event) => sendExport(training, event.currentTarget) }, T("app.export")) : "",
        may("announce") ? el("button", { type: "button", class: "btn secondary", onclick: () => go(() => announceScreen(training)) }, T("app.announce")) : ""),
      tabBar,
      body
    );
    if (tabs.length) openTab(tab);
  }

  async function sendExport(training, button) {
    button.disabled = true;
    try {
      await api("trainings/" + training.id + "/export", { method: "POST", json: { request_id: requestId() } });
      toast(T("app.export.sent"));
    } catch (error) {
      fail(error);
    } finally {
      setTimeout(() => (button.disabled = false), 3000);
    }
  }

  function searchBox(placeholder, onSearch) {
    const input = el("input", { type: "search", placeholder: placeholder, "aria-label": placeholder, autocomplete: "off", enterkeyhint: "search" });
    input.addEventListener("input", debounce(() => onSearch(input.value), 250));
    return input;
  }

  async function peopleTab(training, body) {
    const summary = el("p", { class: "hint", id: "people-count" });
    const list = el("ul", { class: "list", id: "people" });
    async function load(query) {
      const data = await api("trainings/" + training.id + "/people?q=" + encodeURIComponent(query));
      summary.textContent = data.total ? T("app.shown", { shown: data.people.length, total: data.total }) : T("app.people.empty");
      list.replaceChildren(...data.people.map((person) => personItem(person, training)));
      if (data.total && !data.people.length) list.append(el("li", { class: "hint", text: T("app.no_match") }));
    }
    body.replaceChildren(el("div", { class: "section" }, searchBox(T("app.search"), (q) => load(q).catch(fail)), summary, list));
    await load("");
  }

  function personItem(person, training) {
    const days = training.days.map((day, index) =>
      el("span", { class: "chip static", text: T("app.day", { n: day.number }) + (person.attended[index] ? " ✓" : " –") }));
    return el("li", { "data-registration": person.registration_id },
      el("div", { class: "row spread" },
        el("span", { class: "name", text: person.name }),
        el("span", { class: "tag " + person.status, text: person.status_label })),
      el("div", { class: "sub", text: [person.business, person.sector, person.district].filter(Boolean).join(" · ") }),
      el("div", { class: "sub", text: person.phone }),
      person.registered_by ? el("div", { class: "sub", text: person.registered_by }) : null,
      person.status === "confirmed" && days.length ? el("div", { class: "chips" }, days) : null);
  }

  function defaultDay(training) {
    const days = training.days;
    return days.find((d) => d.today) || [...days].reverse().find((d) => !d.future) || days[0];
  }

  async function checkinTab(training, body) {
    if (!training.days.length) {
      body.replaceChildren(el("p", { class: "hint", text: T("app.no_days") }));
      return;
    }
    let day = defaultDay(training);
    const count = el("p", { id: "checkin-count", "aria-live": "polite" });
    const note = el("p", { class: "hint", id: "checkin-note" });
    const list = el("ul", { class: "list", id: "checkin" });
    let query = "";
    const chips = el("div", { class: "chips", role: "group" },
      training.days.map((d) =>
        el("button", { type: "button", class: "chip", "data-day": d.number, "aria-pressed": String(d === day), onclick: () => pick(d) }, T("app.day", { n: d.number }) + " · " + d.label)));
    function pick(d) {
      day = d;
      for (const chip of chips.children) chip.setAttribute("aria-pressed", String(chip.dataset.day === String(d.number)));
      load().catch(fail);
    }
    async function load() {
      const data = await api("trainings/" + training.id + "/people?only=confirmed&q=" + encodeURIComponent(query));
      const index = training.days.indexOf(day);
      day.total = data.total;
      showCount();
      note.textContent = day.future ? T("app.checkin.future") : "";
      list.replaceChildren(...data.people.map((person) => checkinItem(person, index)));
      if (!data.total) list.append(el("li", { class: "hint", text: T("app.checkin.none") }));
      else if (!data.people.length) list.append(el("li", { class: "hint", text: T("app.no_match") }));
    }
    function showCount() {
      count.textContent = T("app.checkin.count", { present: day.present, total: day.total });
    }
    function checkinItem(person, index) {
      const item = el("li", { "data-name": person.name });
      function render(present) {
        item.classList.toggle("present", present);
        const action = present
          ? el("button", { type: "button", class: "link", onclick: () => mark(false) }, T("app.checkin.undo"))
          : el("button", { type: "button", class: "btn small", disabled: day.future, onclick: () => mark(true) }, T("app.checkin.mark"));
        item.replaceChildren(
          el("div", { class: "row spread" },
            el("div", null, el("div", { class: "name", text: person.name }), el("div", { class: "sub", text: person.business })),
            present ? el("span", { class: "tag confirmed", text: T("app.checkin.present") }) : null,
            action));
      }
      async function mark(present) {
        if (!present && !window.confirm(T("app.checkin.undo_confirm", { name: person.name, n: day.number }))) return;
        for (const button of item.querySelectorAll("button")) button.disabled = true;
        try {
          const result = await api("attendance", { method: "POST", json: { registration_id: person.registration_id, day_id: day.id, present: present } });
          person.attended[index] = result.present;
          day.present = result.day_present;
          showCount();
          render(result.present);
        } catch (error) {
          render(person.attended[index]);
          fail(error);
        }
      }
      render(Boolean(person.attended[index]));
      return item;
    }
    body.replaceChildren(el("div", { class: "section" }, chips, count, note,
      searchBox(T("app.search.name"), (q) => { query = q; load().catch(fail); }), list));
    await load();
  }

  function barChart(titleKey, bars, name) {
    const most = Math.max(1, ...bars.map((bar) => bar.value));
    const items = bars.map((bar) => {
      const fill = el("span", { class: "fill" });
      fill.style.setProperty("width", (100 * bar.value) / most + "%");
      return el("li", { "aria-label": bar.label + ": " + bar.value },
        el("span", { class: "label", text: bar.label }),
        el("span", { class: "track", "aria-hidden": "true" }, fill),
        el("span", { class: "value", text: bar.value }));
    });
    return el("div", { class: "section", "data-chart": name },
      el("h2", { text: T(titleKey) }),
      items.length ? el("ul", { class: "bars" }, items) : el("p", { class: "hint", text: T("app.charts.empty") }));
  }

  async function chartsTab(training, body) {
    const data = await api("trainings/" + training.id + "/statistics");
    body.replaceChildren(
      barChart("app.charts.registrations", data.registrations, "registrations"),
      barChart("app.charts.attendance", data.attendance, "attendance"),
      barChart("app.charts.district", data.district, "district"),
      barChart("app.charts.sector", data.sector, "sector"));
  }

  // ---- screen: an announcement ------------------------------------------------------------
  async function announceScreen(training) {
    setTitle(T("app.announce"));
    const trainings = training ? [training] : (await api("trainings")).trainings.filter((t) => t.status === "open" || t.status === "closed");
    const audiences = ["confirmed", "waitlist", "everyone"];
    const form = el("form", { class: "section", id: "announce" });
    const select = el("select", { name: "training", "aria-label": T("app.trainings") },
      trainings.map((t) => el("option", { value: t.id, text: t.code + " · " + t.title })));
    const text = el("textarea", { name: "text", maxlength: state.maxText, "aria-label": T("app.announce.text"), placeholder: T("app.announce.text") });
    const counter = el("p", { class: "hint" });
    const updateCounter = () => (counter.textContent = T("app.announce.chars", { count: text.value.length, limit: state.maxText }));
    text.addEventListener("input", updateCounter);
    updateCounter();
    const radios = audiences
      .filter((a) => a === "everyone" || trainings.length)
      .map((a, i) => el("label", { class: "radio" }, el("input", { type: "radio", name: "audience", value: a, checked: i === 0 }), T("announce.audience." + a)));
    form.append(
      el("h2", { text: T("app.announce.audience") }), ...radios, select,
      el("h2", { text: T("app.announce.text") }), text, counter,
      el("button", { type: "submit", class: "btn" }, T("app.announce.preview")));
    const syncSelect = () => (select.hidden = form.elements.audience.value === "everyone" || !trainings.length);
    form.addEventListener("change", syncSelect);
    syncSelect();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const audience = form.elements.audience.value;
      const json = { audience: audience, text: text.value };
      if (audience !== "everyone") json.training_id = Number(select.value);
      preview(json, form).catch(fail);
    });
    show(form, el("div", { id: "announce-result" }));
  }

  async function preview(json, form) {
    const result = document.getElementById("announce-result");
    const draft = await api("announcements", { method: "POST", json: json });
    if (!draft.id) {
      result.replaceChildren(el("p", { class: "section hint", text: T("app.announce.no_recipients") }));
      return;
    }
    const message = el("div", { class: "preview", id: "preview" });
    message.innerHTML = draft.preview_html; // the bot's own HTML; the typed text is escaped
    form.hidden = true;
    const send = el("button", { type: "button", class: "btn", id: "send" }, T("app.announce.send", { count: draft.recipients }));
    const edit = el("button", { type: "button", class: "btn secondary" }, T("app.announce.edit"));
    edit.addEventListener("click", async () => {
      await api("announcements/" + draft.id + "/drop", { method: "POST", json: {} }).catch(() => null);
      form.hidden = false;
      result.replaceChildren();
    });
    send.addEventListener("click", async () => {
      send.disabled = edit.disabled = true;
      try {
        const progress = await api("announcements/" + draft.id + "/start", { method: "POST", json: {} });
        follow(progress, result);
      } catch (error) {
        send.disabled = edit.disabled = false;
        fail(error);
      }
    });
    result.replaceChildren(el("div", { class: "section" }, el("h2", { text: T("app.announce.preview_title") }), message, send, edit));
  }

  function follow(progress, result) {
    const line = el("p", { id: "announce-progress", role: "status" });
    result.replaceChildren(el("div", { class: "section" }, line));
    const render = (p) => {
      line.textContent = p.state === "done" ? T("app.announce.done", p) : T("app.announce.sending", p);
    };
    render(progress);
    const timer = setInterval(async () => {
      if (!document.body.contains(line)) return clearInterval(timer);
      try {
        const p = await api("announcements/" + progress.id);
        render(p);
        if (p.state === "done") clearInterval(timer);
      } catch (error) {
        clearInterval(timer);
      }
    }, 2000);
  }

  // ---- start -----------------------------------------------------------------------------
  // ---- screen: the admins' staff roles and the audit trail ------------------------------
  async function staffScreen() {
    setTitle(T("app.staff.title"));
    const [data, trail] = await Promise.all([api("staff"), api("audit")]);
    const roleName = (role) => T("app.staff.role." + role);
    const list = el("ul", { class: "list", id: "staff" },
      data.admins.map((id) => el("li", { "data-user": id }, el("span", { class: "name", text: String(id) }), el("span", { class: "hint", text: " · " + T("app.staff.admin") }))),
      data.staff.map((member) => el("li", { "data-user": member.user_id },
        el("div", { class: "row spread" },
          el("span", { class: "name", text: String(member.user_id) }),
          el("button", { type: "button", class: "chip", onclick: () => revoke(member.user_id) }, T("app.staff.revoke"))),
        el("div", { class: "hint", text: roleName(member.role) + " · " + (member.trainings.join(", ") || T("app.staff.all")) }))));
    const userId = el("input", { type: "text", inputmode: "numeric", id: "staff-user", placeholder: T("app.staff.user_id"), "aria-label": T("app.staff.user_id") });
    const role = el("select", { id: "staff-role", "aria-label": T("app.staff.role") }, data.roles.map((r) => el("option", { value: r, text: roleName(r) })));
    const boxes = data.trainings.map((training) => el("label", { class: "row" },
      el("input", { type: "checkbox", value: training.code }), el("span", { text: training.code + " · " + training.title })));
    async function grant() {
      const chosen = boxes.map((box) => box.firstChild).filter((box) => box.checked).map((box) => box.value);
      try {
        await api("staff", { method: "POST", json: { user_id: Number(userId.value), role: role.value, trainings: chosen } });
        toast(T("app.staff.granted"));
        await staffScreen();
      } catch (error) {
        fail(error);
      }
    }
    async function revoke(id) {
      try {
        await api("staff/" + id + "/revoke", { method: "POST" });
        toast(T("app.staff.revoked"));
        await staffScreen();
      } catch (error) {
        fail(error);
      }
    }
    const entries = el("ul", { class: "list", id: "audit" }, trail.entries.map((entry) => el("li", { class: "hint", text: T("app.audit.line", {
      at: entry.at.slice(0, 16).replace("T", " "), actor: entry.actor_id === null ? "cli" : entry.actor_id,
      action: entry.action, training: entry.training || "-", people: entry.people }) })));
    show(
      el("div", { class: "section" }, list),
      el("div", { class: "section" },
        el("h2", { class: "hint", text: T("app.staff.grant") }), userId, role,
        el("p", { class: "hint", text: T("app.staff.trainings") }), ...boxes,
        el("button", { type: "button", class: "btn", id: "staff-grant", onclick: grant }, T("app.staff.grant"))),
      el("div", { class: "section" },
        el("h2", { class: "hint", text: T("app.audit.title") }),
        trail.entries.length ? entries : el("p", { class: "hint", text: T("app.audit.empty") })));
  }

  async function start() {
    applyTheme();
    state.initData = readInitData();
    state.lang = guessLanguage();
    document.getElementById("back").addEventListener("click", back);
    if (tg) {
      tg.ready();
      tg.expand();
      if (tg.BackButton) tg.BackButton.onClick(back);
    }
    try {
      const me = await api("me");
      state.texts = me.texts;
      state.lang = me.lang;
      state.maxText = me.max_text;
      state.rights = me.rights || [];
      document.documentElement.lang = me.lang;
      document.getElementById("back-label").textContent = T("app.back");
      await go(trainingsScreen);
    } catch (error) {
      fail(error);
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
