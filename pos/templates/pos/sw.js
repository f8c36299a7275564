/* The till's service worker: the till opens again without a connection.
 *
 * - Versioned static files (till.js, till.css, ...; their URLs carry ?v=<hash>)
 *   and the offline fallback page are cached at install: cache first.
 * - The till page (and its customer display) is network first: online, the
 *   server's page is always the one shown (a signed-out or changed page is
 *   never served from the cache) and a copy is kept; without a connection the
 *   copy is served, marked data-shell="cache" so till.js starts from what it
 *   stored in localStorage (open session, catalogue, queue of sales).
 * - The API (/pos/api/) is never cached nor answered from a cache: a sale is
 *   sent or queued by till.js, never "replayed".
 * - A new version (new file hashes, static manifest, this file or the
 *   POS_OFFLINE_VERSION setting) caches everything again and deletes the old
 *   caches; signing out (or in) deletes the kept pages.
 */
"use strict";

var CONFIG = {{ config_json|safe }};
var STATIC_CACHE = CONFIG.cachePrefix + "static-" + CONFIG.version;
var PAGE_CACHE = CONFIG.cachePrefix + "pages-" + CONFIG.version;
var PAGES = new RegExp(CONFIG.pages);
var PRECACHED = {};
CONFIG.precache.forEach(function (url) { PRECACHED[new URL(url, self.location.href).href] = true; });

function pageKey(url) {
  var u = new URL(url, self.location.href);
  return u.origin + u.pathname;
}

// Kept pages say where they come from: till.js trusts its stored state over a kept page's.
function keep(cache, url, response) {
  return response.text().then(function (html) {
    html = html.replace('data-shell="network"', 'data-shell="cache"');
    return cache.put(pageKey(url), new Response(html, {
      status: 200, headers: { "Content-Type": response.headers.get("Content-Type") || "text/html; charset=utf-8" }
    }));
  });
}

function fetchPage(url) {
  return fetch(url, { credentials: "same-origin", cache: "no-store", redirect: "follow" }).then(function (response) {
    return response.ok && !response.redirected && response.type === "basic" ? response : null;
  });
}

function pageCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) { return name.indexOf(CONFIG.cachePrefix + "pages-") === 0; });
  });
}

function forgetPages() {
  return pageCaches().then(function (names) {
    return Promise.all(names.map(function (name) { return caches.delete(name); }));
  });
}

// A new version: fetch the pages the old version kept again (they name the new
// static files); without a connection keep the old copies rather than nothing.
function carryPages() {
  return Promise.all([caches.open(PAGE_CACHE), pageCaches()]).then(function (opened) {
    var cache = opened[0];
    var old = opened[1].filter(function (name) { return name !== PAGE_CACHE; });
    return Promise.all(old.map(function (name) {
      return caches.open(name).then(function (oldCache) {
        return oldCache.keys().then(function (requests) {
          return Promise.all(requests.map(function (request) {
            return fetchPage(request.url).then(function (response) {
              if (response) return keep(cache, request.url, response);
            }, function () {
              return oldCache.match(request).then(function (copy) { if (copy) return cache.put(request.url, copy); });
            });
          }));
        });
      });
    }));
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return cache.addAll(CONFIG.precache.map(function (url) {
      return new Request(url, { cache: "reload", credentials: "same-origin" });
    }));
  }).then(carryPages).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(CONFIG.cachePrefix) === 0 && name !== STATIC_CACHE && name !== PAGE_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function offlineAnswer(url, failed) {
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(pageKey(url), { ignoreVary: true }).then(function (copy) {
      if (copy) return copy;
      if (failed) return failed;  // the server answered (502-504): show its answer
      if (url.pathname === CONFIG.scope) {
        // The till's home without a connection: the till page kept on this computer.
        return cache.keys().then(function (requests) {
          var tills = requests.filter(function (r) { return PAGES.test(new URL(r.url).pathname) && !/display\/$/.test(r.url); });
          if (tills.length) return Response.redirect(tills[tills.length - 1].url, 302);
          return null;
        });
      }
      return null;
    });
  }).then(function (answer) {
    return answer || caches.match(CONFIG.offlinePage, { cacheName: STATIC_CACHE, ignoreVary: true });
  }).then(function (answer) {
    return answer || new Response("", { status: 503 });
  });
}

function page(event, url) {
  var kept = PAGES.test(url.pathname);
  return fetch(event.request).then(function (response) {
    if (response.status >= 502 && response.status <= 504) return offlineAnswer(url, response);
    if (kept) {
      if (response.ok && response.type === "basic" && !response.redirected) {
        var copy = response.clone();
        event.waitUntil(caches.open(PAGE_CACHE).then(function (cache) { return keep(cache, url.href, copy); }));
      } else if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403 ||
                 response.status === 404) {
        // Signed out (sent to the sign-in page), not allowed any more, or gone: drop the copy.
        event.waitUntil(caches.open(PAGE_CACHE).then(function (cache) { return cache.delete(pageKey(url.href)); }));
      }
    }
    return response;
  }, function () {
    return offlineAnswer(url, null);
  });
}

function staticFile(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The API: always the network (till.js queues sales itself when it fails).
  if (url.pathname.indexOf(CONFIG.api) === 0) return;
  if (request.method !== "GET") {
    // Signing out, or someone signing in: the kept pages were the previous cashier's.
    if (url.pathname === CONFIG.logout || url.pathname === CONFIG.login) event.waitUntil(forgetPages());
    return;
  }
  if (request.mode === "navigate") {
    if (url.pathname.indexOf(CONFIG.scope) === 0) event.respondWith(page(event, url));
    return;
  }
  if (PRECACHED[url.href]) {
    event.respondWith(staticFile(request));
    return;
  }
  if (url.pathname.indexOf(CONFIG.static) === 0) {
    // An older kept page may name an older ?v=: the network, else the cached file of that name.
    event.respondWith(fetch(request).catch(function () {
      return caches.match(request, { cacheName: STATIC_CACHE, ignoreSearch: true, ignoreVary: true }).then(function (hit) {
        return hit || new Response("", { status: 504 });
      });
    }));
  }
});

// From till.js: "keep-page" (keep this till page for a reload without a
// connection; answers once it is kept) and "forget-pages" (signing out).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  function reply(answer) { if (port) port.postMessage(answer); }
  if (data.type === "keep-page") {
    var url = new URL(data.url, self.location.href);
    if (url.origin !== self.location.origin || !PAGES.test(url.pathname)) { reply({ ok: false }); return; }
    event.waitUntil(caches.open(PAGE_CACHE).then(function (cache) {
      return cache.match(pageKey(url.href)).then(function (hit) {
        if (hit) return true;
        return fetchPage(url.href).then(function (response) {
          return response ? keep(cache, url.href, response).then(function () { return true; }) : false;
        });
      });
    }).then(function (ok) { reply({ ok: ok, version: CONFIG.version }); },
            function () { reply({ ok: false, version: CONFIG.version }); }));
  } else if (data.type === "forget-pages") {
    event.waitUntil(forgetPages().then(function () { reply({ ok: true }); }, function () { reply({ ok: false }); }));
  }
});
