// The demo's chat page: shows what the bot sent a person (/demo/api/chat/{who}) as a phone's
// Telegram shows it, and acts as that person. The bot's HTML is rebuilt from the few tags
// Telegram renders; every other text is set as text.
"use strict";

(function () {
  const API = "/demo/api";
  const TAGS = {
    b: "b", strong: "b", i: "i", em: "i", u: "u", ins: "u", s: "s", strike: "s", del: "s",
    code: "code", pre: "pre", blockquote: "blockquote", a: "a", "tg-spoiler": "span",
    span: "span", "tg-emoji": "span",
  };
  const state = { who: "participant", version: null, labels: {}, chat: null, waiting: 0, bot: "", before: "", replyTo: null };
  const $ = (id) => document.getElementById(id);

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  const L = (key) => state.labels[key] || key;

  async function loadLabels() {
    const all = await (await fetch("/demo/static/labels.json")).json();
    const asked = new URLSearchParams(location.search).get("lang") || navigator.language || "id";
    state.labels = all[asked.toLowerCase().startsWith("en") ? "en" : "id"];
    document.documentElement.lang = state.labels === all.en ? "en" : "id";
    document.title = L("title");
    for (const node of document.querySelectorAll("[data-label]")) node.textContent = L(node.dataset.label);
    $("text").placeholder = L("message");
  }

  // ---- the bot's HTML, as Telegram renders it --------------------------------------------
  function rebuild(source, target) {
    for (const node of source.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        target.append(node.textContent);
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const tag = TAGS[node.tagName.toLowerCase()];
      if (!tag) {
        rebuild(node, target);
        continue;
      }
      const copy = document.createElement(tag);
      const name = node.tagName.toLowerCase();
      if (name === "tg-spoiler" || (name === "span" && node.classList.contains("tg-spoiler"))) {
        copy.className = "tg-spoiler";
        copy.addEventListener("click", () => copy.classList.add("shown"));
      }
      if (tag === "a") linkTo(copy, node.getAttribute("href") || "");
      rebuild(node, copy);
      target.append(copy);
    }
  }

  function deepLink(href) {
    // t.me/<bot>?start=PAYLOAD opens the bot's chat with /start PAYLOAD, here as in Telegram.
    try {
      const url = new URL(href);
      if (url.hostname !== "t.me" || url.pathname.slice(1).toLowerCase() !== state.bot.toLowerCase()) return null;
      const payload = url.searchParams.get("start");
      return payload ? "/start " + payload : "/start";
    } catch (error) {
      return null;
    }
  }

  function linkTo(anchor, href) {
    if (!/^(https?:|tg:)/i.test(href)) return;
    anchor.href = href;
    anchor.addEventListener("click", (event) => {
      const command = deepLink(href);
      if (command) {
        event.preventDefault();
        sendText(command);
      }
    });
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
  }

  function richText(message) {
    const box = el("div", { class: "text" });
    if (message.plain) {
      box.textContent = message.html;
      return box;
    }
    const parsed = new DOMParser().parseFromString("<body>" + message.html + "</body>", "text/html");
    rebuild(parsed.body, box);
    return box;
  }

  // ---- messages -------------------------------------------------------------------------
  function sizeOf(bytes) {
    return bytes < 1024 ? bytes + " B" : bytes < 1048576 ? Math.round(bytes / 1024) + " KB" : (bytes / 1048576).toFixed(1) + " MB";
  }

  function attachment(message) {
    if (message.photo) return el("img", { src: message.photo, alt: "", class: "photo" });
    if (message.document) {
      const doc = message.document;
      return el("a", { class: "file", href: doc.url, download: doc.name, title: L("download") },
        el("span", { class: "icon", text: "⬇" }),
        el("span", {}, el("div", { class: "fname", text: doc.name }), el("div", { class: "fsize", text: sizeOf(doc.size) })));
    }
    if (message.venue) {
      const venue = message.venue;
      return el("div", { class: "venue" }, el("span", { class: "pin", text: "📍 " }),
        el("b", { text: venue.title }), el("div", { text: venue.address }),
        el("div", { class: "fsize", text: venue.latitude + ", " + venue.longitude }));
    }
    return null;
  }

  function buttonStyle(button) {
    return ["success", "danger", "primary"].includes(button.style) ? button.style : "";
  }

  function inlineKeyboard(message) {
    if (!message.inline) return null;
    const box = el("div", { class: "inline" });
    for (const row of message.inline) {
      const line = el("div", { class: "row" });
      for (const button of row) {
        line.append(el("button", { type: "button", class: buttonStyle(button), text: button.text, onclick: () => tapInline(message, button) }));
      }
      box.append(line);
    }
    return box;
  }

  function botMessage(message) {
    const bubble = el("div", { class: "bubble", title: L("reply_hint") }, attachment(message));
    if (message.html) bubble.append(richText(message));
    if (message.edited) bubble.append(el("div", { class: "meta", text: L("edited") }));
    bubble.addEventListener("click", (event) => {
      if (!event.target.closest("a")) replyTo(message, bubble.textContent);
    });
    const chosen = state.replyTo && state.replyTo.id === message.message_id ? " chosen" : "";
    return el("div", { class: "msg bot" + chosen, "data-message-id": message.message_id }, bubble, inlineKeyboard(message));
  }

  function myMessage(message) {
    const text = message.contact ? "👤 " + message.text + "\n📱 " + message.contact : message.text;
    const quote = message.reply_to ? el("div", { class: "quote", text: message.reply_to }) : null;
    return el("div", { class: "msg me" }, el("div", { class: "bubble" }, quote, text));
  }

  // Telegram's "Reply": the next text answers this message (how staff answer a question
  // copied to their group).
  function replyTo(message, text) {
    state.replyTo = message ? { id: message.message_id } : null;
    $("replying").hidden = !message;
    $("replying-text").textContent = text || "";
    for (const node of document.querySelectorAll(".msg.bot")) {
      node.classList.toggle("chosen", Boolean(message) && node.dataset.messageId === String(message.message_id));
    }
  }

  // What the bot has shown: a new message or a changed one ends the "typing…" of a request.
  function botSide(chat) {
    return chat.messages.filter((m) => m.from === "bot")
      .map((m) => m.message_id + ":" + m.html + JSON.stringify(m.inline || m.keyboard || "")).join("|");
  }

  function render(chat) {
    state.chat = chat;
    if (state.waiting && botSide(chat) !== state.before) state.waiting = 0;
    const box = $("chat");
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    box.replaceChildren();
    if (!chat.messages.length) box.append(el("div", { class: "empty", text: L("empty") }));
    for (const message of chat.messages) box.append(message.from === "bot" ? botMessage(message) : myMessage(message));
    const typing = chat.typing || state.waiting > Date.now();
    if (typing) box.append(el("div", { class: "typing", text: "• • •" }));
    $("status").textContent = typing ? L("typing") : L("online");
    replyKeyboard(chat.messages);
    for (const toast of chat.toasts) showToast(toast.text, toast.alert);
    if (atBottom || typing) {
      box.scrollTop = box.scrollHeight;
      // A picture that arrives later makes the chat taller: stay at the newest message.
      for (const img of box.querySelectorAll("img")) {
        if (!img.complete) img.addEventListener("load", () => (box.scrollTop = box.scrollHeight));
      }
    }
  }

  // The keyboard under the text field: the last one the bot sent, until it is removed (or,
  // when it is one-time, used).
  function replyKeyboard(messages) {
    let keyboard = null;
    let usedSince = false;
    for (const message of messages) {
      if (message.from === "bot" && (message.keyboard || message.remove_keyboard)) {
        keyboard = message.keyboard;
        usedSince = false;
      } else if (message.from === "me") {
        usedSince = true;
      }
    }
    const box = $("keyboard");
    box.replaceChildren();
    box.hidden = !keyboard || (keyboard.one_time_keyboard && usedSince);
    if (box.hidden) return;
    for (const row of keyboard.keyboard) {
      const line = el("div", { class: "row" });
      for (const raw of row) {
        const button = typeof raw === "string" ? { text: raw } : raw;
        line.append(el("button", { type: "button", text: button.text, onclick: () => tapKeyboard(button) }));
      }
      box.append(line);
    }
  }

  let toastTimer = 0;
  function showToast(text, alert) {
    const toast = $("toast");
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (toast.hidden = true), alert ? 4000 : 2000);
  }

  // ---- acting as the person --------------------------------------------------------------
  async function post(path, body) {
    state.waiting = Date.now() + 4000;
    state.before = state.chat ? botSide(state.chat) : "";
    setTimeout(() => state.chat && render(state.chat), 4100);
    const response = await fetch(API + "/chat/" + state.who + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
    if (response.ok) render(await response.json());
  }

  function sendText(text) {
    const reply = state.replyTo ? state.replyTo.id : null;
    replyTo(null);
    return post("/text", { text: text, reply_to: reply });
  }

  function tapInline(message, button) {
    if (button.callback_data) return post("/press", { message_id: message.message_id, data: button.callback_data });
    if (button.web_app) return openMiniApp();
    if (button.copy_text) {
      const copied = button.copy_text.text || "";
      if (navigator.clipboard) navigator.clipboard.writeText(copied).catch(() => {});
      return showToast(copied, false);
    }
    if (button.url) {
      const command = deepLink(button.url);
      if (command) return sendText(command);
      window.open(button.url, "_blank", "noopener");
    }
  }

  function tapKeyboard(button) {
    if (button.request_contact) return post("/contact");
    if (button.web_app) return openMiniApp();
    return sendText(button.text);
  }

  async function openMiniApp() {
    const answer = await (await fetch(API + "/webapp/" + state.who)).json();
    $("webapp-frame").src = answer.src;
    $("webapp").hidden = false;
  }

  function closeMiniApp() {
    $("webapp").hidden = true;
    $("webapp-frame").src = "about:blank";
  }

  function showCommands() {
    const box = $("commands");
    if (!box.hidden) return (box.hidden = true);
    box.replaceChildren();
    for (const command of (state.chat && state.chat.commands) || []) {
      box.append(el("button", { type: "button", onclick: () => { box.hidden = true; sendText("/" + command.command); } },
        el("b", { text: "/" + command.command }), command.description));
    }
    box.hidden = !box.childNodes.length;
  }

  // ---- switching person, following the chat -----------------------------------------------
  function choose(who) {
    state.who = who;
    state.version = null;
    state.waiting = 0;
    replyTo(null);
    closeMiniApp();
    $("commands").hidden = true;
    for (const button of $("switch").querySelectorAll("button")) {
      button.setAttribute("aria-selected", String(button.dataset.who === who));
    }
    if (location.hash.slice(1) !== who) history.replaceState(null, "", "#" + who);
    $("compose").hidden = false;
  }

  async function follow() {
    for (;;) {
      const who = state.who;
      const after = state.version === null ? "" : "?after=" + state.version;
      try {
        const response = await fetch(API + "/chat/" + who + after);
        const chat = await response.json();
        if (who !== state.who) continue;
        state.version = chat.version;
        render(chat);
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  async function start() {
    await loadLabels();
    const info = await (await fetch(API + "/info")).json();
    state.bot = info.bot_username;
    $("switch").addEventListener("click", (event) => {
      const who = event.target.dataset && event.target.dataset.who;
      if (who) {
        choose(who);
        fetch(API + "/chat/" + who).then((r) => r.json()).then((chat) => { state.version = chat.version; render(chat); });
      }
    });
    $("compose").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = $("text").value.trim();
      if (!text) return;
      $("text").value = "";
      sendText(text);
    });
    $("menu-button").addEventListener("click", showCommands);
    $("webapp-close").addEventListener("click", closeMiniApp);
    $("replying-cancel").addEventListener("click", () => replyTo(null));
    const wanted = location.hash.slice(1);
    choose(["participant", "staff", "group"].includes(wanted) ? wanted : "participant");
    follow();
  }

  start();
})();
