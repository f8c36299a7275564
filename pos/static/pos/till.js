/* The till page: keyboard-first selling with an offline queue.
 *
 * The numbers shown here are a preview; the server prices every sale again.
 * Completed sales carry a client-made uuid; when the network is down they are
 * kept in localStorage and sent (again and again, until the server answers)
 * when it is back — the server records each uuid once.
 *
 * The page also opens without a connection (a reload, a reopened tab): the
 * service worker (/pos/sw.js) keeps a copy of this page and its files. A copy
 * says data-shell="cache" on <body>; the page then starts from what it stored
 * here while online (localStorage "pos:<register>:boot" for the open session,
 * ":catalogue" for scanning and prices, ":queue" for the sales to send).
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("pos-config").textContent);
  var T = JSON.parse(document.getElementById("pos-messages").textContent);
  var registerId = config.register.id;
  var API = config.api;
  var KEY = "pos:" + registerId + ":";
  var state = {
    session: config.session,
    lines: [],             // {offer, quantity, discount}
    catalogue: {},         // stockrecord -> offer
    byCode: {},            // code -> offer
    online: navigator.onLine,
    syncing: false,
    qr: null,              // {amount, reference} shown to the customer
    experiences: []        // visitors whose places this sale pays for (experiences.js)
  };
  // A page served by the server, or the service worker's copy of it (see the top).
  var fromCopy = document.body.dataset.shell === "cache";
  var display = ("BroadcastChannel" in window) ? new BroadcastChannel("pos-display-" + registerId) : null;

  function $(id) { return document.getElementById(id); }
  function fmt(text, params) {
    return String(text).replace(/%\((\w+)\)s/g, function (_m, k) { return params && k in params ? params[k] : ""; });
  }
  // Đồng as the page's language writes them: 1.250.000 ₫ (Vietnamese), ₫1,250,000 (English).
  // Receipts are always Vietnamese-style (vndReceipt).
  var english = /^en/i.test(document.documentElement.lang || "");
  function group(n, sep) { return Math.abs(Math.round(n)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, sep); }
  function vndReceipt(n) { return (n < 0 ? "-" : "") + group(n, ".") + " ₫"; }
  function vnd(n) {
    if (!english) return vndReceipt(n);
    return (n < 0 ? "-" : "") + "₫" + group(n, ",");
  }
  // Goods are tapped on a tablet: only a computer with a mouse moves the focus back to the
  // scan box (on a touch screen that would open the on-screen keyboard every time).
  var finePointer = !window.matchMedia || window.matchMedia("(pointer: fine)").matches;
  function focusScan() { if (finePointer) $("scan").focus(); }
  function toInt(value) {
    var text = String(value || "").replace(/[.\s₫,]/g, "");
    if (!text) return 0;
    if (!/^\d+$/.test(text)) return NaN;
    return parseInt(text, 10);
  }
  function roundHalfUp(x) { return Math.floor(x + 0.5); }
  function roundCash(amount) {
    var unit = config.cashRounding || 0;
    return unit ? roundHalfUp(amount / unit) * unit : amount;
  }
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- messages and sound -----------------------------------------------------------
  var audio = null;
  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.type = "square"; osc.frequency.value = 220; gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + 0.25);
    } catch (e) { /* no sound: the message still shows */ }
  }
  function say(text, kind) {
    var box = $("message");
    box.textContent = text || "";
    box.className = "message " + (kind || "info");
    if (kind === "error") beep();
  }

  // --- network ------------------------------------------------------------------------
  function NetworkError() { this.network = true; }
  function api(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf();
      options.body = JSON.stringify(body);
    }
    return fetch(API + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) { setOnline(true); return data; }
        if (response.status >= 500) throw new NetworkError();
        var error = new Error(data.detail || response.statusText);
        error.status = response.status; error.data = data;
        throw error;
      });
    }, function () { setOnline(false); throw new NetworkError(); });
  }

  function stored(name, fallback) {
    try { var v = JSON.parse(localStorage.getItem(KEY + name)); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function store(name, value) { try { localStorage.setItem(KEY + name, JSON.stringify(value)); } catch (e) { /* full */ } }
  function queue() { try { return JSON.parse(localStorage.getItem(KEY + "queue") || "[]"); } catch (e) { return []; } }
  function saveQueue(items) { localStorage.setItem(KEY + "queue", JSON.stringify(items)); showNet(); }

  function setOnline(value) {
    if (state.online !== value) { state.online = value; showNet(); if (value) sync(); }
  }
  function showNet() {
    var waiting = queue().length, banner = $("offline-banner"), status = $("net-status");
    if (!state.online) {
      banner.hidden = false; banner.className = "banner offline";
      banner.textContent = fmt(fromCopy ? T.offlineCopy : T.offline, { n: waiting });
      status.textContent = T.offlineShort; status.className = "pill net offline";
    } else if (waiting) {
      banner.hidden = false; banner.className = "banner syncing";
      banner.textContent = fmt(T.syncing, { n: waiting });
      status.textContent = T.syncingShort; status.className = "pill net syncing";
    } else {
      banner.hidden = true; status.textContent = T.online; status.className = "pill net online";
    }
    document.body.dataset.net = !state.online ? "offline" : waiting ? "syncing" : "online";
  }

  function sync() {
    if (state.syncing || !navigator.onLine) return Promise.resolve();
    var items = queue();
    if (!items.length) return Promise.resolve();
    state.syncing = true;
    var sent = 0;
    function next() {
      var pending = queue();
      if (!pending.length) return Promise.resolve();
      var body = pending[0];
      return api("POST", "registers/" + registerId + "/sales/", body).then(function () {
        sent += 1;
        saveQueue(queue().filter(function (b) { return b.client_uuid !== body.client_uuid; }));
        return next();
      }, function (error) {
        if (error.network) return Promise.reject(error);
        if (error.status === 401 || (error.status === 403 && !(error.data && error.data.code))) {
          // Signed out meanwhile (or a stale CSRF token): not a refusal of the sale. Keep it queued.
          say(error.message, "error");
          return Promise.reject(error);
        }
        // Refused for good (bad input): keep it aside for the manager, never lose it.
        var failed = JSON.parse(localStorage.getItem(KEY + "failed") || "[]");
        failed.push({ body: body, detail: error.message });
        localStorage.setItem(KEY + "failed", JSON.stringify(failed));
        saveQueue(queue().filter(function (b) { return b.client_uuid !== body.client_uuid; }));
        say(fmt(T.syncFailed, { ref: body.client_uuid.slice(0, 8), detail: error.message }), "error");
        return next();
      });
    }
    return next().then(function () {
      if (sent) say(fmt(T.synced, { n: sent }), "ok");
    }, function () { /* still offline: the loop tries again */ }).then(function () {
      state.syncing = false; showNet();
    });
  }

  window.addEventListener("online", function () { state.online = true; showNet(); sync(); });
  window.addEventListener("offline", function () { setOnline(false); });
  setInterval(function () {
    if (queue().length) {
      if (navigator.onLine) sync();
    } else if (!state.online && navigator.onLine) {
      api("GET", "registers/").then(function () { setOnline(true); }, function () {});
    }
  }, 4000);

  // --- what the page needs to start again without a connection ----------------------------
  // A page from the server knows the open session best; a kept copy may be older than
  // what this page stored since (a session opened after the copy was made).
  function saveBoot() { store("boot", { session: state.session, user: config.user, at: new Date().toISOString() }); }
  function showSession() {
    $("open-panel").hidden = !!state.session;
    $("till").hidden = !state.session;
    $("session-info").textContent = state.session ? fmt(T.sessionLabel, { pk: state.session }) : "";
  }
  if (fromCopy) {
    var boot = stored("boot", null);
    if (boot && boot.user === config.user) state.session = boot.session;
    state.online = false;  // served from the copy: the server did not answer
    showSession();
  } else {
    saveBoot();
  }

  function ask(worker, message) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) { resolve(event.data || {}); };
      worker.postMessage(message, [channel.port2]);
    });
  }
  function keepOffline() {
    var sw = config.serviceWorker;
    if (!sw || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(sw.url, { scope: sw.scope, updateViaCache: "none" }).catch(function () {});
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.active ? ask(registration.active, { type: "keep-page", url: location.href }) : {};
    }).then(function (answer) {
      if (answer.ok) document.body.dataset.offlineReady = answer.version || "1";
    }).catch(function () { /* no offline copy: the page still works online */ });
  }
  // Signing out on a shared computer: nothing of this cashier stays on it — except sales
  // not yet sent (signing out waits for them) and refused ones kept for the manager.
  function forgetHere() {
    Object.keys(localStorage).forEach(function (k) {
      if (/^pos:\d+:(boot|catalogue)$/.test(k)) localStorage.removeItem(k);
    });
    var jobs = [];
    if (window.caches && config.serviceWorker) {
      var prefix = config.serviceWorker.cachePrefix + "pages-";
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf(prefix) === 0; }).map(function (n) { return caches.delete(n); }));
      }));
    }
    return Promise.all(jobs).catch(function () {});
  }
  var leaving = false;
  $("logout-form").addEventListener("submit", function (e) {
    e.preventDefault();
    if (leaving) return;
    var form = e.target;
    leaving = true;
    (queue().length && navigator.onLine ? sync() : Promise.resolve()).then(function () {
      var waiting = queue().length;
      if (waiting) { say(fmt(T.logoutPending, { n: waiting }), "error"); return false; }
      if (!state.online || !navigator.onLine) { say(T.offlineOnlyOnline, "error"); return false; }
      return forgetHere().then(function () { return true; });
    }).then(function (go) {
      if (go) form.submit(); else leaving = false;
    });
  });

  // --- catalogue (cached for offline) ---------------------------------------------------
  function useCatalogue(offers) {
    state.catalogue = {}; state.byCode = {};
    offers.forEach(function (o) { state.catalogue[o.stockrecord] = o; if (o.code) state.byCode[o.code] = o; });
    state.tiles = offers.filter(function (o) { return o.tile; }).sort(function (a, b) {
      return (a.group || "").localeCompare(b.group || "", "vi") || a.title.localeCompare(b.title, "vi");
    });
    renderTiles();
  }

  // --- tiles: goods without a barcode and the gift combos, by group ---------------------------
  state.tileGroup = "";
  function initial(title) { return (String(title || "?").trim()[0] || "?").toUpperCase(); }
  function renderTiles() {
    var tiles = state.tiles || [], chips = $("tile-groups"), grid = $("tiles");
    var groups = [];
    tiles.forEach(function (o) { if (o.group && groups.indexOf(o.group) === -1) groups.push(o.group); });
    if (state.tileGroup && groups.indexOf(state.tileGroup) === -1) state.tileGroup = "";
    chips.innerHTML = "";
    [""].concat(groups).forEach(function (name) {
      var chip = document.createElement("button");
      chip.type = "button"; chip.className = "chip"; chip.setAttribute("role", "tab");
      chip.textContent = name || T.allGroups;
      chip.setAttribute("aria-selected", String(name === state.tileGroup));
      chip.addEventListener("click", function () { state.tileGroup = name; renderTiles(); });
      chips.appendChild(chip);
    });
    grid.innerHTML = "";
    tiles.filter(function (o) { return !state.tileGroup || o.group === state.tileGroup; }).forEach(function (o) {
      var tile = document.createElement("button");
      tile.type = "button"; tile.className = "tile" + (o.kind === "combo" ? " combo" : "");
      tile.dataset.stockrecord = o.stockrecord;
      var pic = document.createElement("span");
      pic.className = "tile-pic"; pic.dataset.initial = initial(o.title);
      if (o.image) {
        var img = document.createElement("img");
        img.alt = ""; img.loading = "lazy"; img.src = o.image;
        // No photo without a connection: the tile shows the name's first letter instead.
        img.addEventListener("error", function () { img.remove(); });
        pic.appendChild(img);
      }
      var name = document.createElement("span");
      name.className = "tile-name"; name.textContent = o.title;
      var price = document.createElement("span");
      price.className = "tile-price"; price.textContent = vnd(o.price);
      tile.appendChild(pic); tile.appendChild(name); tile.appendChild(price);
      if (o.stars) {
        var stars = document.createElement("span");
        stars.className = "tile-stars"; stars.textContent = "★".repeat(o.stars);
        stars.title = fmt(T.stars, { n: o.stars });
        tile.appendChild(stars);
      }
      tile.addEventListener("click", function () { addOffer(o, 1); say(""); focusScan(); });
      grid.appendChild(tile);
    });
    $("tiles-title").parentNode.hidden = !tiles.length;
  }
  function loadCatalogue() {
    var cached = localStorage.getItem(KEY + "catalogue");
    if (cached) { try { useCatalogue(JSON.parse(cached)); } catch (e) { /* ignore */ } }
    return api("GET", "registers/" + registerId + "/catalogue/").then(function (data) {
      localStorage.setItem(KEY + "catalogue", JSON.stringify(data.offers));
      useCatalogue(data.offers);
    }, function () {});
  }
  function normalize(text) {
    return String(text || "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^0-9a-z]+/g, " ").trim();
  }
  function localSearch(query) {
    var terms = normalize(query).split(" ");
    return Object.keys(state.catalogue).map(function (k) { return state.catalogue[k]; }).filter(function (o) {
      return terms.every(function (t) { return o.search.indexOf(t) !== -1; });
    }).slice(0, 20);
  }

  // --- the cart ---------------------------------------------------------------------------
  function addOffer(offer, quantity) {
    var line = state.lines.find(function (l) { return l.offer.stockrecord === offer.stockrecord; });
    if (line) line.quantity += quantity;
    else state.lines.push({ offer: offer, quantity: quantity, discount: 0 });
    state.catalogue[offer.stockrecord] = offer;
    render();
  }
  function quote() {
    var subtotal = 0, lineDiscounts = 0;
    state.lines.forEach(function (l) {
      l.gross = l.offer.price * l.quantity;
      l.discountAmount = roundHalfUp(l.gross * l.discount / 100);
      subtotal += l.gross; lineDiscounts += l.discountAmount;
    });
    var orderPct = parseFloat($("order-discount").value.replace(",", ".")) || 0;
    var after = subtotal - lineDiscounts;
    var orderDiscount = roundHalfUp(after * orderPct / 100);
    var maxPct = 0;
    state.lines.forEach(function (l) {
      var share = after ? orderDiscount * (l.gross - l.discountAmount) / after : 0;
      if (l.gross) maxPct = Math.max(maxPct, (l.discountAmount + share) * 100 / l.gross);
    });
    return { subtotal: subtotal, discounts: lineDiscounts + orderDiscount, total: after - orderDiscount,
             orderPct: orderPct, maxPct: maxPct };
  }
  function payment(q) {
    var qr = toInt($("vietqr-amount").value), card = toInt($("card-amount").value);
    var tendered = $("cash-tendered").value.trim() === "" ? null : toInt($("cash-tendered").value);
    var remaining = q.total - (qr || 0) - (card || 0);
    var cashDue = remaining > 0 ? roundCash(remaining) : 0;
    return { qr: qr, card: card, tendered: tendered, remaining: remaining, cashDue: cashDue,
             rounding: remaining > 0 ? cashDue - remaining : 0 };
  }
  function render() {
    var body = $("lines");
    body.innerHTML = "";
    state.lines.forEach(function (l, index) {
      var tr = document.createElement("tr");
      tr.dataset.stockrecord = l.offer.stockrecord;
      var stars = l.offer.stars ? " " + "★".repeat(l.offer.stars) : "";
      tr.innerHTML = '<td class="title"></td>' +
        '<td><input class="qty" inputmode="numeric" size="3"></td>' +
        '<td class="num price"></td>' +
        '<td><input class="disc" inputmode="decimal" size="4"></td>' +
        '<td class="num line-total"></td>' +
        '<td><button type="button" class="remove"></button></td>';
      tr.querySelector(".title").textContent = l.offer.title + stars;
      tr.querySelector(".title").title = l.offer.stars ? fmt(T.stars, { n: l.offer.stars }) : "";
      tr.querySelector(".qty").value = l.quantity;
      tr.querySelector(".price").textContent = vnd(l.offer.price);
      var gross = l.offer.price * l.quantity;
      tr.querySelector(".line-total").textContent = vnd(gross - roundHalfUp(gross * l.discount / 100));
      tr.querySelector(".disc").value = l.discount;
      tr.querySelector(".remove").textContent = T.remove;
      tr.querySelector(".qty").addEventListener("change", function (e) {
        var n = toInt(e.target.value);
        if (!n || n < 1 || n > 10000) { say(T.badQuantity, "error"); e.target.value = l.quantity; return; }
        l.quantity = n; render();
      });
      tr.querySelector(".disc").addEventListener("change", function (e) {
        var p = parseFloat(e.target.value.replace(",", "."));
        if (isNaN(p) || p < 0 || p > 100) { beep(); e.target.value = l.discount; return; }
        l.discount = Math.round(p * 100) / 100; render();
      });
      tr.querySelector(".remove").addEventListener("click", function () {
        state.lines.splice(index, 1); render(); focusScan();
      });
      body.appendChild(tr);
    });
    var q = quote();
    l10nTotals(q);
    var p = payment(q);
    $("cash-due").textContent = vnd(p.cashDue);
    $("rounding").textContent = p.rounding ? "(" + vnd(p.rounding) + ")" : "";
    if (p.tendered !== null && !isNaN(p.tendered) && p.tendered < p.cashDue) {
      $("change-label").textContent = T.remaining; $("change").textContent = vnd(p.cashDue - p.tendered);
    } else {
      $("change-label").textContent = T.change;
      $("change").textContent = vnd(p.tendered !== null && !isNaN(p.tendered) ? p.tendered - p.cashDue : 0);
    }
    $("empty-cart").hidden = state.lines.length > 0;
    var needs = q.maxPct > parseFloat(config.discountLimit) + 1e-9;
    $("approval").hidden = !needs;
    $("approval-status").hidden = !needs;
    document.body.classList.toggle("needs-approval", needs);
    if (needs) $("approval-text").textContent = fmt(T.needApproval, { limit: config.discountLimit });
    if (display) display.postMessage({ type: "cart", total: q.total, subtotal: q.subtotal, discounts: q.discounts,
      lines: state.lines.map(function (l) {
        return { title: l.offer.title, quantity: l.quantity, price: l.offer.price, stars: l.offer.stars || 0,
                 image: l.offer.image || "", total: l.gross - l.discountAmount };
      }) });
  }
  function l10nTotals(q) {
    $("subtotal").textContent = vnd(q.subtotal);
    $("discounts").textContent = vnd(-q.discounts);
    $("total").textContent = vnd(q.total);
  }
  ["order-discount", "vietqr-amount", "card-amount", "cash-tendered"].forEach(function (id) {
    $(id).addEventListener("input", render);
  });

  // --- scanning and search ---------------------------------------------------------------
  function scan(raw) {
    var text = raw.trim(), quantity = 1;
    var m = text.match(/^(\d{1,4})\*(.+)$/);
    if (m) { quantity = parseInt(m[1], 10); text = m[2].trim(); }
    if (!text) return;
    if (/^\d+$/.test(text)) return scanCode(text, quantity);
    return search(text, quantity);
  }
  function scanCode(code, quantity) {
    function fromCache() {
      var offer = state.byCode[code];
      if (offer) { addOffer(offer, quantity); say(""); }
      else say(fmt(T.unknownCode, { code: code }), "error");
    }
    if (!state.online) return fromCache();
    return api("GET", "registers/" + registerId + "/lookup/?code=" + encodeURIComponent(code)).then(function (offer) {
      addOffer(offer, quantity); say("");
    }, function (error) {
      if (error.network) return fromCache();
      say(error.message, "error");
    });
  }
  function showResults(offers, quantity) {
    quantity = quantity || 1;
    state.resultQuantity = quantity;
    var list = $("search-results");
    list.innerHTML = "";
    if (!offers.length) { list.hidden = true; say(T.noResults, "error"); return; }
    offers.forEach(function (o, i) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = (i < 9 ? (i + 1) + ". " : "") + (quantity > 1 ? quantity + " × " : "") + o.title +
        (o.stars ? " " + "★".repeat(o.stars) : "") + " — " + vnd(o.price);
      button.addEventListener("click", function () { addOffer(o, quantity); list.hidden = true; focusScan(); });
      li.appendChild(button); list.appendChild(li);
    });
    list.hidden = false;
    state.results = offers;
  }
  function search(text, quantity) {
    if (normalize(text).length < 2) { say(T.searchShort, "error"); return; }
    if (!state.online) return showResults(localSearch(text), quantity);
    return api("GET", "registers/" + registerId + "/lookup/?q=" + encodeURIComponent(text)).then(function (data) {
      showResults(data.results, quantity);
    }, function (error) {
      if (error.network) return showResults(localSearch(text), quantity);
      say(error.message, "error");
    });
  }
  var scanning = Promise.resolve();
  $("scan").addEventListener("keydown", function (e) {
    var list = $("search-results");
    if (e.key === "Enter") {
      e.preventDefault();
      var value = e.target.value; e.target.value = "";
      // One scan at a time, so lines keep the order the goods were scanned in.
      scanning = scanning.then(function () { return scan(value); }).catch(function () {});
    } else if (!list.hidden && /^[1-9]$/.test(e.key) && e.target.value === "" && state.results) {
      var offer = state.results[parseInt(e.key, 10) - 1];
      if (offer) { e.preventDefault(); addOffer(offer, state.resultQuantity || 1); list.hidden = true; }
    }
  });

  // --- VietQR on the customer's screen --------------------------------------------------------
  $("show-qr").addEventListener("click", function () {
    var amount = toInt($("vietqr-amount").value);
    if (!amount) { amount = quote().total - (toInt($("card-amount").value) || 0); $("vietqr-amount").value = amount; render(); }
    if (!state.online) { say(T.qrOffline, "error"); return; }
    api("GET", "registers/" + registerId + "/vietqr/?amount=" + amount).then(function (data) {
      var box = $("qr-box");
      box.innerHTML = data.svg;
      var caption = document.createElement("p");
      caption.textContent = fmt(T.qrFor, { amount: vnd(data.amount), ref: data.reference });
      box.appendChild(caption);
      box.hidden = false;
      state.qr = data;
      if (display) display.postMessage({ type: "qr", svg: data.svg, amount: data.amount, reference: data.reference,
                                         text: caption.textContent });
    }, function (error) { say(error.network ? T.qrOffline : error.message, "error"); });
  });
  $("open-display").addEventListener("click", function () { window.open(config.displayUrl, "pos-display"); });

  // --- numeric keypad and the notes a customer hands over ---------------------------------
  // A keypad types into the amount box last touched in its panel (else the one it is for);
  // its keys never take the focus, so a tablet's own keyboard stays closed.
  var keypadTarget = null;
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("input[data-keypad]")) keypadTarget = e.target;
  });
  function changed(input) { input.dispatchEvent(new Event("input", { bubbles: true })); }
  function keyInto(input, key) {
    var value = input.value.replace(/\D/g, "");
    if (key === "back") value = value.slice(0, -1);
    else if (key === "clear") value = "";
    else value = (value + key).replace(/^0+(?=\d)/, "").slice(0, 11);
    input.value = value;
    changed(input);
  }
  var KEYS = ["7", "8", "9", "back", "4", "5", "6", "clear", "1", "2", "3", "000", "0"];
  document.querySelectorAll(".keypad").forEach(function (pad) {
    var panel = pad.closest(".panel, fieldset, section");
    KEYS.forEach(function (key) {
      var button = document.createElement("button");
      button.type = "button"; button.tabIndex = -1; button.dataset.key = key;
      button.className = "key" + (key === "0" ? " wide" : "") + (key === "back" || key === "clear" ? " edit" : "");
      button.textContent = key === "back" ? "⌫" : key === "clear" ? "C" : key;
      if (key === "back") button.setAttribute("aria-label", T.keyBack);
      if (key === "clear") button.setAttribute("aria-label", T.keyClear);
      button.addEventListener("pointerdown", function (e) { e.preventDefault(); });
      button.addEventListener("click", function () {
        var target = keypadTarget && panel && panel.contains(keypadTarget) ? keypadTarget : $(pad.dataset.keypadFor);
        keyInto(target, key);
      });
      pad.appendChild(button);
    });
  });
  document.querySelectorAll(".quick-cash .note").forEach(function (button) {
    var note = parseInt(button.dataset.note, 10);
    button.textContent = vnd(note).replace(/\s?₫/, "");
    button.setAttribute("aria-label", fmt(T.noteGiven, { amount: vnd(note) }));
    button.addEventListener("pointerdown", function (e) { e.preventDefault(); });
    // Each tap adds one note to what the customer handed over (200.000 + 50.000 …).
    button.addEventListener("click", function () {
      var input = $("cash-tendered"), current = toInt(input.value) || 0;
      input.value = String(current + note);
      changed(input);
    });
  });
  $("exact-cash").addEventListener("pointerdown", function (e) { e.preventDefault(); });
  $("exact-cash").addEventListener("click", function () {
    var p = payment(quote());
    $("cash-tendered").value = String(p.cashDue);
    changed($("cash-tendered"));
  });

  // --- committing a sale ---------------------------------------------------------------------
  function saleBody() {
    var q = quote(), p = payment(q), tenders = [];
    if (p.qr) tenders.push({ kind: "vietqr", amount: p.qr, reference: state.qr ? state.qr.reference : "" });
    if (p.card) tenders.push({ kind: "card_terminal", amount: p.card, reference: $("card-ref").value.trim() });
    if (p.remaining > 0 || p.tendered) tenders.push({ kind: "cash", tendered: p.tendered === null ? p.cashDue : p.tendered });
    var body = {
      client_uuid: uuid4(), session: state.session, client_total: q.total,
      order_discount_percent: q.orderPct,
      lines: state.lines.map(function (l) {
        return { stockrecord: l.offer.stockrecord, quantity: l.quantity, unit_price: l.offer.price, discount_percent: l.discount };
      }),
      tenders: tenders, rung_at: new Date().toISOString()
    };
    if (!$("approval").hidden) body.approval = { manager: $("approval-manager").value.trim(), pin: $("approval-pin").value };
    if (state.experiences.length) body.experiences = state.experiences;
    // A company invoice: the buyer's fields go with the sale (the server checks the tax code).
    BUYER_FIELDS.forEach(function (name) {
      var value = $("buyer-" + name.replace("_", "-")).value.trim();
      if (value) body["buyer_" + name] = value;
    });
    return { body: body, quote: q, payment: p };
  }
  var BUYER_FIELDS = ["tax_code", "company", "name", "address", "email"];
  function clearSale() {
    state.lines = []; state.qr = null; state.experiences = [];
    BUYER_FIELDS.forEach(function (name) { $("buyer-" + name.replace("_", "-")).value = ""; });
    $("buyer-box").open = false;
    ["vietqr-amount", "card-amount", "card-ref", "cash-tendered", "approval-manager", "approval-pin"].forEach(function (id) { $(id).value = ""; });
    $("order-discount").value = "0";
    $("qr-box").hidden = true; $("qr-box").innerHTML = "";
    $("search-results").hidden = true;
    render();
    focusScan();
  }
  function showLastSale(sale) {
    var box = $("last-sale");
    box.innerHTML = "";
    var text = document.createElement("p");
    text.textContent = fmt(T.saved, { receipt: sale.receipt }) + " " + T.change + ": " + vnd(sale.change_due);
    var print = document.createElement("a");
    print.id = "print-link"; print.href = sale.receipt_url + "?print=1"; print.target = "_blank"; print.textContent = T.printReceipt;
    var pdf = document.createElement("a");
    pdf.id = "pdf-link"; pdf.href = sale.pdf_url; pdf.target = "_blank"; pdf.textContent = T.pdf;
    box.appendChild(text); box.appendChild(print); box.appendChild(document.createTextNode(" · ")); box.appendChild(pdf);
    box.dataset.receipt = sale.receipt; box.dataset.sale = sale.id;
    box.hidden = false;
  }
  // A sale rung up without a connection gets a temporary number (from its uuid) until the
  // server gives it its receipt number; its receipt is printed from this page.
  function tempNumber(body) { return config.register.code + "-T" + body.client_uuid.slice(0, 8).toUpperCase(); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function showQueuedSale(made) {
    var snapshot = {
      body: made.body, quote: made.quote, payment: made.payment,
      lines: state.lines.map(function (l) {
        return { title: l.offer.title, stars: l.offer.stars || 0, quantity: l.quantity, price: l.offer.price,
                 gross: l.gross, discount: l.discountAmount, percent: l.discount };
      })
    };
    var box = $("last-sale");
    box.innerHTML = "";
    var text = document.createElement("p");
    text.textContent = fmt(T.queuedReceipt, { ref: tempNumber(made.body) }) + " " + T.change + ": " +
      vnd(changeOf(made.payment));
    var print = document.createElement("button");
    print.type = "button"; print.id = "print-temp"; print.className = "print-temp"; print.textContent = T.printTemp;
    print.addEventListener("click", function () { printTemp(snapshot); });
    box.appendChild(text); box.appendChild(print);
    box.dataset.receipt = tempNumber(made.body); box.dataset.sale = "";
    box.hidden = false;
  }
  function changeOf(p) { return p.tendered !== null && !isNaN(p.tendered) ? Math.max(0, p.tendered - p.cashDue) : 0; }
  function printTemp(s) {
    var when = new Date(s.body.rung_at);
    $("temp-number").textContent = tempNumber(s.body);
    $("temp-time").textContent = pad(when.getDate()) + "/" + pad(when.getMonth() + 1) + "/" + when.getFullYear() +
      " " + pad(when.getHours()) + ":" + pad(when.getMinutes());
    var lines = $("temp-lines");
    lines.innerHTML = "";
    s.lines.forEach(function (l) {
      var row = function (cls, left, right) {
        var tr = document.createElement("tr"), a = document.createElement("td");
        tr.className = cls; a.textContent = left; tr.appendChild(a);
        if (right === null) { a.colSpan = 2; } else {
          var b = document.createElement("td"); b.className = "num"; b.textContent = right; tr.appendChild(b);
        }
        lines.appendChild(tr);
      };
      row("line-title", l.title + (l.stars ? " " + "★".repeat(l.stars) : ""), null);
      row("small", l.quantity + " × " + vndReceipt(l.price), vndReceipt(l.gross));
      if (l.discount) row("small", "-" + l.percent + "%", "-" + vndReceipt(l.discount));
    });
    $("temp-subtotal").textContent = vndReceipt(s.quote.subtotal);
    $("temp-discount-row").hidden = !s.quote.discounts;
    $("temp-discounts").textContent = vndReceipt(-s.quote.discounts);
    $("temp-total").textContent = vndReceipt(s.quote.total);
    $("temp-rounding-row").hidden = !s.payment.rounding;
    $("temp-rounding").textContent = vndReceipt(s.payment.rounding);
    var tenders = $("temp-tenders");
    tenders.innerHTML = "";
    s.body.tenders.forEach(function (t) {
      var tr = document.createElement("tr"), a = document.createElement("td"), b = document.createElement("td");
      a.textContent = T.kinds[t.kind] || t.kind; b.className = "num";
      b.textContent = vndReceipt(t.kind === "cash" ? t.tendered : t.amount);
      tr.appendChild(a); tr.appendChild(b); tenders.appendChild(tr);
    });
    $("temp-change").textContent = vndReceipt(changeOf(s.payment));
    document.body.classList.add("printing-receipt");
    try { window.print(); } finally { document.body.classList.remove("printing-receipt"); }
  }
  var committing = false;
  function commit() {
    if (committing) return;
    if (!state.lines.length) { say(T.emptyCart, "error"); return; }
    if (state.experiences.length && !state.online) { say(T.offlineOnlyOnline, "error"); return; }
    var made = saleBody(), p = made.payment;
    if (isNaN(p.qr) || isNaN(p.card) || (p.tendered !== null && isNaN(p.tendered))) { say(T.badAmount, "error"); return; }
    if (p.remaining < 0) { say(fmt(T.short, { amount: vnd(p.remaining) }), "error"); return; }
    if (p.remaining > 0 && p.tendered !== null && p.tendered < p.cashDue) {
      say(fmt(T.short, { amount: vnd(p.cashDue - p.tendered) }), "error"); return;
    }
    committing = true;
    function queueIt() {
      made.body.offline = true;
      var items = queue(); items.push(made.body); saveQueue(items);
      say(fmt(T.queued, { ref: made.body.client_uuid.slice(0, 8) }), "ok");
      showQueuedSale(made);
      clearSale();
    }
    var done = state.online ? api("POST", "registers/" + registerId + "/sales/", made.body).then(function (sale) {
      showLastSale(sale); say(fmt(T.saved, { receipt: sale.receipt }), "ok"); clearSale();
      if (sale.bookings) document.dispatchEvent(new CustomEvent("pos:bookings", { detail: sale.bookings }));
    }, function (error) {
      if (error.network) return queueIt();
      if (error.data && error.data.code === "approval_required") { $("approval").hidden = false; }
      say(error.message, "error");
    }) : Promise.resolve(queueIt());
    done.then(function () { committing = false; });
  }
  $("commit").addEventListener("click", commit);
  $("new-sale").addEventListener("click", function () { clearSale(); say(""); });
  // pos/experiences.js: a visitor's places paid in this sale (its tickets and the visitor)
  window.posTill = {
    api: api, say: say, vnd: vnd, uuid: uuid4, online: function () { return state.online; },
    addTickets: function (offer, quantity, visitor) { state.experiences.push(visitor); addOffer(offer, quantity); }
  };

  // --- sessions, cash, returns ----------------------------------------------------------------
  $("open-session").addEventListener("click", function () {
    var amount = toInt($("open-float").value);
    if (isNaN(amount)) { say(T.badAmount, "error"); return; }
    api("POST", "registers/" + registerId + "/sessions/", { opening_float: amount }).then(function (session) {
      state.session = session.id;
      saveBoot(); showSession();
      say(T.sessionOpened, "ok"); $("scan").focus();
    }, function (error) { say(error.network ? T.offlineOnlyOnline : error.message, "error"); });
  });
  function openDrawer(id) {
    document.querySelectorAll(".drawer").forEach(function (d) { d.hidden = d.id !== id; });
    var first = $(id).querySelector("input");
    if (first) first.focus();
  }
  document.querySelectorAll("[data-panel]").forEach(function (b) {
    b.addEventListener("click", function () { openDrawer(b.dataset.panel); });
  });
  document.querySelectorAll(".close-drawer").forEach(function (b) {
    b.addEventListener("click", function () { b.closest(".drawer").hidden = true; $("scan").focus(); });
  });
  $("cash-submit").addEventListener("click", function () {
    var kind = document.querySelector("input[name=cash-kind]:checked").value;
    api("POST", "sessions/" + state.session + "/cash-movements/",
        { kind: kind, amount: toInt($("cash-amount").value) || $("cash-amount").value, reason: $("cash-reason").value }).then(function () {
      say(T.cashMoved, "ok"); $("cash-amount").value = ""; $("cash-reason").value = ""; $("cash-panel").hidden = true;
    }, function (error) { say(error.network ? T.offlineOnlyOnline : error.message, "error"); });
  });
  var returning = null;
  $("return-find").addEventListener("click", function () {
    api("GET", "registers/" + registerId + "/sales/?receipt=" + encodeURIComponent($("return-receipt").value.trim())).then(function (sale) {
      returning = sale;
      var body = $("return-lines"); body.innerHTML = "";
      sale.lines.forEach(function (line) {
        var done = sale.returned[String(line.id)] || 0;
        var tr = document.createElement("tr");
        tr.dataset.line = line.id;
        tr.innerHTML = '<td class="title"></td><td class="num sold"></td><td><input class="return-qty" inputmode="numeric" size="3" value="0"></td>' +
          '<td><label><input type="checkbox" class="return-damaged"> ' + '</label></td>';
        tr.querySelector(".title").textContent = line.title;
        tr.querySelector(".sold").textContent = line.quantity + (done ? " (" + fmt(T.returnedAlready, { n: done }) + ")" : "");
        tr.querySelector("label").appendChild(document.createTextNode(T.damaged));
        body.appendChild(tr);
      });
      var select = $("refund-kind"); select.innerHTML = "";
      var labels = T.kinds;
      sale.refund_kinds.forEach(function (k) {
        var o = document.createElement("option"); o.value = k; o.textContent = labels[k] || k; select.appendChild(o);
      });
    }, function (error) { say(error.network ? T.offlineOnlyOnline : error.message, "error"); });
  });
  $("return-submit").addEventListener("click", function () {
    if (!returning) return;
    var lines = [];
    document.querySelectorAll("#return-lines tr").forEach(function (tr) {
      var n = toInt(tr.querySelector(".return-qty").value);
      if (n) lines.push({ line: parseInt(tr.dataset.line, 10), quantity: n, damaged: tr.querySelector(".return-damaged").checked });
    });
    api("POST", "sales/" + returning.id + "/returns/", {
      session: state.session, lines: lines, refund_kind: $("refund-kind").value,
      reason: $("return-reason").value, client_uuid: uuid4()
    }).then(function (result) {
      say(fmt(T.returned, { amount: vnd(result.refund_paid) }), "ok");
      $("return-lines").innerHTML = ""; returning = null; $("return-panel").hidden = true; $("scan").focus();
    }, function (error) { say(error.network ? T.offlineOnlyOnline : error.message, "error"); });
  });
  $("close-submit").addEventListener("click", function () {
    var counted = toInt($("close-counted").value);
    if (isNaN(counted) || $("close-counted").value.trim() === "") { say(T.badAmount, "error"); return; }
    var go = queue().length ? sync() : Promise.resolve();
    go.then(function () {
      return api("POST", "sessions/" + state.session + "/close/", { counted_cash: counted });
    }).then(function (report) {
      $("z-expected").textContent = vnd(report.expected_cash);
      $("z-counted").textContent = vnd(report.counted_cash);
      $("z-variance").textContent = vnd(report.variance);
      $("z-summary").hidden = false;
      var link = $("z-link"); link.href = config.zReportUrl.replace("{id}", report.session) + "?print=1"; link.hidden = false;
      $("till").hidden = true; state.session = null; saveBoot();
      say(T.sessionClosed, "ok");
    }, function (error) { say(error.network ? T.offlineOnlyOnline : error.message, "error"); });
  });

  // --- keyboard ------------------------------------------------------------------------------
  document.addEventListener("keydown", function (e) {
    if (e.key === "F2") { e.preventDefault(); $("cash-tendered").focus(); }
    else if (e.key === "F4") { e.preventDefault(); commit(); }
    else if (e.key === "F6") { e.preventDefault(); openDrawer("return-panel"); }
    else if (e.key === "F7") { e.preventDefault(); openDrawer("cash-panel"); }
    else if (e.key === "F9") { e.preventDefault(); openDrawer("close-panel"); }
    else if (e.key === "F8" && $("experience-panel")) { e.preventDefault(); openDrawer("experience-panel"); }
    else if (e.key === "Escape") { $("search-results").hidden = true; $("scan").focus(); }
    else if (e.key === "Enter" && e.target && e.target.closest && e.target.closest(".pay")) { e.preventDefault(); commit(); }
  });

  loadCatalogue();
  keepOffline();
  showNet();
  sync();
  render();
})();
