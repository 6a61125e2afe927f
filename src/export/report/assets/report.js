/*
 * The agentsynth report: overview, coverage and a trajectory browser over data pages that are loaded on demand.
 * Every data file is a script calling agentsynthReport.receive(name, payload) (Chromium refuses fetch() of local
 * files under file://). Text from the data is only ever set as textContent, never parsed as HTML.
 */
(function () {
  "use strict";

  var ROWS_PER_SCREEN = 50;
  /** Rows filtered between two yields to the browser, so a 100,000-row list never freezes the page. */
  var FILTER_CHUNK = 5000;
  /** Whole-episode pages kept in memory; older ones are dropped and loaded again when needed. */
  var EPISODE_PAGES_KEPT = 8;
  /** A tool result longer than this (characters or lines) is collapsed. */
  var LONG_RESULT_CHARACTERS = 700;
  var LONG_RESULT_LINES = 14;
  var STATUS = ["kept", "rejected", "not filtered"];
  var VERDICT = ["not judged", "pass", "fail"];
  var VERIFICATION = ["state matched", "failed", "not applicable", "not recorded"];

  var manifest = null;
  var pending = {};
  var cache = new Map();
  /** The list: rows of every index page loaded so far, and where each episode id sits in it. */
  var rows = [];
  var ordinalOf = new Map();
  var indexPagesLoaded = 0;
  var indexWaiters = [];
  var filterGeneration = 0;

  window.agentsynthReport = {
    receive: function (name, payload) {
      if (name === "manifest") {
        manifest = payload;
        start();
        return;
      }
      cache.set(name, payload);
      var waiter = pending[name];
      if (waiter) {
        delete pending[name];
        waiter.resolve(payload);
      }
    },
  };

  /** Load a data page (a script), once; resolves with its payload. */
  function load(name) {
    if (cache.has(name)) {
      var payload = cache.get(name);
      cache.delete(name);
      cache.set(name, payload);
      return Promise.resolve(payload);
    }
    if (pending[name]) return pending[name].promise;
    var waiter = {};
    waiter.promise = new Promise(function (resolve, reject) {
      waiter.resolve = resolve;
      waiter.reject = reject;
    });
    pending[name] = waiter;
    var script = document.createElement("script");
    script.src = "data/" + name + ".js";
    script.onload = function () {
      script.remove();
    };
    script.onerror = function () {
      script.remove();
      delete pending[name];
      waiter.reject(new Error("cannot load data/" + name + ".js"));
    };
    document.head.appendChild(script);
    return waiter.promise;
  }

  function pageName(kind, number) {
    return kind + "-" + String(number).padStart(4, "0");
  }

  function forgetOldEpisodePages() {
    var kept = Array.from(cache.keys()).filter(function (name) {
      return name.indexOf("episodes-") === 0 || name.indexOf("judgments-") === 0;
    });
    while (kept.length > EPISODE_PAGES_KEPT * 2) cache.delete(kept.shift());
  }

  /** Load the list's pages one after another in the background; filters and look-ups see rows as they arrive. */
  async function loadIndex() {
    for (var page = 1; page <= manifest.pages.index; page++) {
      var name = pageName("index", page);
      var pageRows = await load(name);
      cache.delete(name);
      for (var i = 0; i < pageRows.length; i++) {
        ordinalOf.set(pageRows[i].i, rows.length);
        rows.push(pageRows[i]);
      }
      indexPagesLoaded = page;
      var waiters = indexWaiters;
      indexWaiters = [];
      waiters.forEach(function (resolve) {
        resolve();
      });
    }
  }

  function indexComplete() {
    return indexPagesLoaded >= manifest.pages.index;
  }

  function moreRows() {
    return new Promise(function (resolve) {
      indexWaiters.push(resolve);
    });
  }

  function nextTick() {
    return new Promise(function (resolve) {
      setTimeout(resolve, 0);
    });
  }

  // DOM helpers: text only.

  function el(tag, attributes) {
    var node = document.createElement(tag);
    if (attributes) {
      Object.keys(attributes).forEach(function (key) {
        var value = attributes[key];
        if (value === undefined || value === null || value === false) return;
        if (key === "text") node.textContent = String(value);
        else if (key === "class") node.className = value;
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) child.forEach(function (item) { append(node, item); });
    else node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }

  function chip(text, kind, href) {
    return el(href ? "a" : "span", { class: "chip" + (kind ? " " + kind : ""), href: href, text: text });
  }

  function table(spec, numericFrom) {
    return el(
      "table",
      null,
      el("thead", null, el("tr", null, spec.columns.map(function (column, index) {
        return el("th", { class: index >= numericFrom ? "num" : null, text: column });
      }))),
      el("tbody", null, spec.rows.map(function (row) {
        return el("tr", null, row.map(function (cell, index) {
          return el("td", { class: index >= numericFrom ? "num" : null, text: cell });
        }));
      })),
    );
  }

  function pretty(text) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch (error) {
      return text;
    }
  }

  function show(value) {
    if (value === undefined || value === null) return "not recorded";
    return typeof value === "string" ? value : JSON.stringify(value);
  }

  // Routing: #overview, #coverage, #episodes?filters, #episode/ID[/reasons].

  function route() {
    var hash = location.hash.replace(/^#/, "");
    var view = hash.split(/[/?]/)[0] || "overview";
    document.querySelectorAll("#tabs a").forEach(function (link) {
      link.classList.toggle("active", link.getAttribute("data-view") === view || (view === "episode" && link.getAttribute("data-view") === "episodes"));
    });
    filterGeneration++;
    var app = document.getElementById("app");
    app.textContent = "";
    window.scrollTo(0, 0);
    if (view === "coverage") return renderSection(app, "coverage");
    if (view === "episodes") return renderList(app, parseQuery(hash.slice("episodes".length + 1)));
    if (view === "episode") {
      var parts = hash.split("/");
      return renderEpisode(app, decodeURIComponent(parts[1] || ""), parts[2] === "reasons");
    }
    return renderSection(app, "overview");
  }

  function parseQuery(text) {
    var query = {};
    new URLSearchParams(text).forEach(function (value, key) {
      query[key] = value;
    });
    return query;
  }

  function start() {
    document.title = manifest.title + " · agentsynth report";
    document.getElementById("report-title").textContent = "· " + manifest.title;
    window.addEventListener("hashchange", route);
    route();
    // After the page's load event: list pages added before it would hold the event (and the browser's spinner) back.
    var read = function () {
      loadIndex().catch(function (error) {
        console.error(error);
      });
    };
    if (document.readyState === "complete") read();
    else window.addEventListener("load", read);
  }

  // Overview and coverage.

  function renderSection(app, section) {
    var panels = manifest.panels;
    if (section === "overview") {
      app.appendChild(el("h1", { text: manifest.title }));
      app.appendChild(el("div", { class: "facts" }, panels.facts.map(function (fact) {
        return el("div", { class: "fact" }, el("div", { class: "label", text: fact.label }), el("div", { class: "value", text: fact.value }));
      })));
    } else {
      app.appendChild(el("h1", { text: "Coverage" }));
    }
    var grid = el("div", { class: "grid" });
    app.appendChild(grid);
    manifest.charts.filter(function (chart) {
      return chart.section === section;
    }).forEach(function (chart) {
      var target = el("div", { class: "vega" });
      grid.appendChild(el("figure", { class: "card chart", "data-chart": chart.id, style: "margin:0" }, el("h3", { text: chart.title }), target, el("figcaption", { text: chart.caption })));
      if (!chart.spec) {
        target.appendChild(el("p", { class: "note", text: chart.empty }));
        return;
      }
      window.vegaEmbed(target, chart.spec, { mode: "vega-lite", renderer: "svg", actions: false }).catch(function (error) {
        target.appendChild(el("p", { class: "error", text: "This chart could not be drawn: " + error.message }));
        console.error(error);
      });
    });
    if (section === "overview") {
      grid.appendChild(card("Rejection reasons", panels.rejectionReasons.rows.length ? linkedReasons(panels.rejectionReasons) : el("p", { class: "note", text: "no episode was rejected" })));
      grid.appendChild(card("Models and spend per role", table(panels.models, 2)));
      grid.appendChild(card("Tool audit", panels.toolAudit ? table(panels.toolAudit, 99) : el("p", { class: "note", text: "not recorded: this run has no tool audit" })));
      grid.appendChild(card("Seeds and config", [
        el("dl", { class: "kv" }, panels.facts.filter(function (fact) { return /seed|config|run|dataset/.test(fact.label); }).map(function (fact) {
          return [el("dt", { text: fact.label }), el("dd", { text: fact.value })];
        })),
        panels.config ? el("details", null, el("summary", { text: "Pipeline config" }), el("pre", { text: panels.config })) : el("p", { class: "note", text: "config: not recorded (no run)" }),
        panels.filter ? el("details", null, el("summary", { text: "Filter settings" }), el("pre", { text: panels.filter })) : null,
      ]));
    } else {
      grid.appendChild(card("Tools never called", panels.neverCalled.rows.length ? table(panels.neverCalled, 99) : el("p", { class: "note", text: "every tool the agents had was called" })));
    }
  }

  function card(title, body) {
    return el("section", { class: "card" }, el("h3", { text: title }), body);
  }

  /** The rejection reasons, each linking to the list filtered by it. */
  function linkedReasons(spec) {
    return el("table", null, el("tbody", null, spec.rows.map(function (row) {
      return el("tr", null, el("td", null, chip(row[0], "rejected", "#episodes?verdict=rejected&reason=" + encodeURIComponent(row[0]))), el("td", { class: "num", text: row[1] }));
    })));
  }

  // The list.

  var FILTERS = [
    { key: "verdict", label: "Verdict", options: function () { return ["kept", "rejected", "not filtered", "judge pass", "judge fail", "not judged"]; } },
    { key: "domain", label: "Domain", options: function () { return manifest.vocabulary.domains; } },
    { key: "shape", label: "Task shape", options: function () { return manifest.vocabulary.shapes.concat(["not recorded"]); } },
    { key: "reason", label: "Reason code", options: function () { return manifest.vocabulary.reasons; } },
    { key: "tool", label: "Tool called", options: function () { return manifest.vocabulary.tools; } },
  ];

  function setQuery(query) {
    var params = new URLSearchParams();
    Object.keys(query).forEach(function (key) {
      if (query[key] !== undefined && query[key] !== "") params.set(key, query[key]);
    });
    var text = params.toString();
    location.hash = "episodes" + (text ? "?" + text : "");
  }

  function renderList(app, query) {
    app.appendChild(el("h1", { text: "Episodes" }));
    var form = el("div", { class: "filters" });
    FILTERS.forEach(function (filter) {
      var select = el("select", { id: "filter-" + filter.key }, el("option", { value: "", text: "all" }), filter.options().map(function (option) {
        return el("option", { value: option, text: option, selected: query[filter.key] === option });
      }));
      select.addEventListener("change", function () {
        var next = Object.assign({}, query, { page: "" });
        next[filter.key] = select.value;
        setQuery(next);
      });
      form.appendChild(el("label", null, filter.label, select));
    });
    var search = el("input", { id: "filter-text", type: "search", placeholder: "goal, user turn, answer, id", value: query.q || "" });
    var typing;
    search.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () {
        setQuery(Object.assign({}, query, { q: search.value, page: "" }));
      }, 300);
    });
    form.appendChild(el("label", null, "Text", search));
    app.appendChild(form);
    var status = el("div", { class: "list-status", id: "list-status", text: "Filtering…" });
    var body = el("tbody");
    var list = el("table", { class: "card episode-list", id: "episode-list" }, el("thead", null, el("tr", null, ["Episode", "Domain", "Shape", "Dataset", "Judge", "Reasons", "Calls", "Turns", "Msgs", "Goal · first user turn · answer"].map(function (title, index) {
      return el("th", { class: index >= 6 && index <= 8 ? "num" : null, text: title });
    }))), body);
    var pager = el("div", { class: "pager" });
    app.appendChild(status);
    app.appendChild(list);
    app.appendChild(pager);
    filterRows(query, status, body, pager);
    if (query.q) {
      search.focus();
      search.setSelectionRange(search.value.length, search.value.length);
    }
  }

  function matcher(query) {
    var vocabulary = manifest.vocabulary;
    var tests = [];
    var verdict = query.verdict;
    if (verdict) {
      var status = STATUS.indexOf(verdict);
      var judge = { "judge pass": 1, "judge fail": 2, "not judged": 0 }[verdict];
      tests.push(status >= 0 ? function (row) { return row.k === status; } : function (row) { return row.v === judge; });
    }
    if (query.domain) {
      var domain = vocabulary.domains.indexOf(query.domain);
      tests.push(function (row) { return row.d === domain; });
    }
    if (query.shape) {
      var shape = query.shape === "not recorded" ? -1 : vocabulary.shapes.indexOf(query.shape);
      tests.push(function (row) { return row.s === shape; });
    }
    if (query.reason) {
      var reason = vocabulary.reasons.indexOf(query.reason);
      tests.push(function (row) { return row.r.indexOf(reason) >= 0; });
    }
    if (query.tool) {
      var tool = vocabulary.tools.indexOf(query.tool);
      tests.push(function (row) { return row.tl.indexOf(tool) >= 0; });
    }
    if (query.q) {
      var words = query.q.toLowerCase().split(/\s+/).filter(Boolean);
      tests.push(function (row) {
        if (row.lx === undefined) row.lx = (row.i + " " + row.t + " " + row.x).toLowerCase();
        return words.every(function (word) { return row.lx.indexOf(word) >= 0; });
      });
    }
    return function (row) {
      for (var i = 0; i < tests.length; i++) if (!tests[i](row)) return false;
      return true;
    };
  }

  /** Filter the list a chunk at a time (yielding between chunks), drawing the asked page as soon as it is full. */
  async function filterRows(query, status, body, pager) {
    var generation = filterGeneration;
    var test = matcher(query);
    var page = Math.max(0, (Number(query.page) || 1) - 1);
    var first = page * ROWS_PER_SCREEN;
    var matches = [];
    var drawn = false;
    var next = 0;
    for (;;) {
      while (next < rows.length) {
        var end = Math.min(rows.length, next + FILTER_CHUNK);
        for (; next < end; next++) if (test(rows[next])) matches.push(next);
        if (!drawn && matches.length >= first + ROWS_PER_SCREEN) {
          drawRows(body, matches.slice(first, first + ROWS_PER_SCREEN));
          drawn = true;
        }
        status.textContent = describeProgress(matches.length, false);
        await nextTick();
        if (generation !== filterGeneration) return;
      }
      if (indexComplete()) break;
      await moreRows();
      if (generation !== filterGeneration) return;
    }
    if (!drawn) drawRows(body, matches.slice(first, first + ROWS_PER_SCREEN));
    status.textContent = describeProgress(matches.length, true);
    drawPager(pager, query, page, Math.max(1, Math.ceil(matches.length / ROWS_PER_SCREEN)));
  }

  function describeProgress(count, done) {
    var text = count.toLocaleString("en") + " of " + manifest.episodes.toLocaleString("en") + " episodes match";
    return done ? text : text + " (reading the list: " + indexPagesLoaded + " of " + manifest.pages.index + " pages)…";
  }

  function drawPager(pager, query, page, pages) {
    pager.textContent = "";
    var previous = el("button", { id: "page-previous", text: "← Previous", disabled: page === 0 });
    var following = el("button", { id: "page-next", text: "Next →", disabled: page + 1 >= pages });
    previous.addEventListener("click", function () { setQuery(Object.assign({}, query, { page: String(page) })); });
    following.addEventListener("click", function () { setQuery(Object.assign({}, query, { page: String(page + 2) })); });
    append(pager, [previous, el("span", { id: "page-number", text: "page " + (page + 1) + " of " + pages }), following]);
  }

  function drawRows(body, ordinals) {
    var vocabulary = manifest.vocabulary;
    body.textContent = "";
    if (ordinals.length === 0) {
      body.appendChild(el("tr", null, el("td", { colspan: 10, class: "note", text: "no episode matches these filters" })));
      return;
    }
    ordinals.forEach(function (ordinal) {
      var row = rows[ordinal];
      var link = "#episode/" + encodeURIComponent(row.i);
      var status = STATUS[row.k];
      body.appendChild(el(
        "tr",
        { "data-episode": row.i },
        el("td", null, el("a", { href: link, class: "episode-link", text: row.i })),
        el("td", { text: row.d >= 0 ? vocabulary.domains[row.d] : "" }),
        el("td", { text: row.s >= 0 ? vocabulary.shapes[row.s] : "not recorded" }),
        el("td", null, chip(status, row.k === 0 ? "kept" : row.k === 1 ? "rejected" : "muted", row.k === 1 ? link + "/reasons" : null)),
        el("td", null, row.v ? chip(VERDICT[row.v] + " " + row.sc.toFixed(2), row.v === 1 ? "pass" : "fail") : chip("not judged", "muted")),
        el("td", null, row.r.map(function (reason) { return chip(vocabulary.reasons[reason], "rejected", link + "/reasons"); })),
        el("td", { class: "num", text: row.c }),
        el("td", { class: "num", text: row.u }),
        el("td", { class: "num", text: row.m }),
        el("td", { class: "goal", text: row.x }),
      ));
    });
  }

  // One episode.

  async function findOrdinal(id) {
    for (;;) {
      if (ordinalOf.has(id)) return ordinalOf.get(id);
      if (indexComplete()) return undefined;
      await moreRows();
    }
  }

  async function renderEpisode(app, id, toReasons) {
    var generation = filterGeneration;
    app.appendChild(el("p", { class: "note", text: "Loading episode " + id + "…" }));
    var ordinal = await findOrdinal(id);
    if (generation !== filterGeneration) return;
    if (ordinal === undefined) {
      app.textContent = "";
      app.appendChild(el("p", { class: "error", text: "There is no episode " + id + " in this report." }));
      return;
    }
    var row = rows[ordinal];
    var perPage = manifest.paging.episodesPerPage;
    var episodePage = await load(pageName("episodes", Math.floor(ordinal / perPage) + 1));
    var judgment = row.jp >= 0 ? (await load(pageName("judgments", row.jp)))[row.jq] : undefined;
    forgetOldEpisodePages();
    if (generation !== filterGeneration) return;
    var episode = episodePage[ordinal % perPage];
    app.textContent = "";
    app.appendChild(episodeHead(episode, row, judgment));
    app.appendChild(el("div", { class: "episode-body" }, chat(episode), judgePanel(episode, judgment)));
    if (toReasons) {
      var reasons = document.getElementById("reasons");
      reasons.classList.add("highlight");
      reasons.scrollIntoView({ block: "start" });
    }
  }

  function episodeHead(episode, row, judgment) {
    var vocabulary = manifest.vocabulary;
    return el(
      "div",
      { class: "episode-head" },
      el("a", { href: "#episodes", text: "← Episodes" }),
      el("h1", { text: "Episode " + episode.id }),
      chip(episode.dataset.status, episode.dataset.status === "kept" ? "kept" : episode.dataset.status === "rejected" ? "rejected" : "muted", episode.dataset.status === "rejected" ? "#episode/" + encodeURIComponent(episode.id) + "/reasons" : null),
      judgment ? chip("judge " + judgment.verdict + " " + judgment.score.toFixed(2), judgment.verdict) : chip("not judged", "muted"),
      chip("domain " + (episode.domain || "none")),
      chip("shape " + (row.s >= 0 ? vocabulary.shapes[row.s] : "not recorded"), row.s >= 0 ? null : "muted"),
      chip("ended: " + episode.endReason, episode.status === "completed" ? null : "warn"),
      episode.faultAttribution ? chip("failure attributed to " + episode.faultAttribution, "fail") : null,
    );
  }

  function chat(episode) {
    var callNames = {};
    episode.messages.forEach(function (message) {
      (message.tool_calls || []).forEach(function (call) { callNames[call.id] = call.function.name; });
    });
    var cuts = {};
    (episode.contextCuts || []).forEach(function (cut) { cuts[cut.messageIndex] = cut; });
    return el("section", { class: "chat", id: "chat" }, episode.messages.map(function (message, index) {
      return renderMessage(message, episode.steps[index] || {}, cuts[index], callNames);
    }));
  }

  function renderMessage(message, step, cut, callNames) {
    var labels = (step.labels || []).map(function (label) { return chip(label, "warn"); });
    if (message.role === "system") {
      return el("details", { class: "msg system", "data-role": "system" }, el("summary", { text: "System prompt (" + message.content.length + " characters)" }), el("div", { class: "text", text: message.content }));
    }
    if (message.role === "user") {
      return el("div", { class: "msg user", "data-role": "user" }, el("div", { class: "who" }, "User", labels), el("div", { class: "text", text: message.content }));
    }
    if (message.role === "assistant") {
      return el(
        "div",
        { class: "msg assistant", "data-role": "assistant" },
        el("div", { class: "who" }, "Assistant", step.model ? chip(step.model, "muted") : null, labels),
        message.reasoning_content ? el("details", null, el("summary", { text: "Reasoning" }), el("div", { class: "text", text: message.reasoning_content })) : null,
        message.content ? el("div", { class: "text", text: message.content }) : null,
        (message.tool_calls || []).map(function (call) {
          return el("div", { class: "tool-call", "data-tool-call": call.function.name }, el("div", { class: "call-head" }, "→ " + call.function.name + "  ", el("span", { class: "note", text: call.id })), el("pre", { class: "arguments", text: pretty(call.function.arguments) }));
        }),
      );
    }
    var tool = step.tool || {};
    var text = pretty(message.content);
    var long = text.length > LONG_RESULT_CHARACTERS || text.split("\n").length > LONG_RESULT_LINES;
    return el(
      "div",
      { class: "msg tool", "data-role": "tool" },
      el(
        "div",
        { class: "who" },
        "Tool result · " + (callNames[message.tool_call_id] || tool.toolName || "unknown call"),
        tool.execution ? chip(tool.execution, "muted") : null,
        tool.outcome && tool.outcome !== "ok" ? chip(tool.outcome, "fail") : null,
        tool.fault ? chip("injected fault: " + tool.fault, "fault") : null,
        cut ? chip("shortened in the agent's context: " + cut.originalTokens + " → " + cut.keptTokens + " tokens (at message " + cut.atMessage + ")", "warn") : null,
        labels,
      ),
      tool.fallbackReason ? el("div", { class: "note", text: "fallback: " + tool.fallbackReason }) : null,
      tool.error ? el("div", { class: "note", text: "error: " + tool.error }) : null,
      long
        ? el("details", { class: "long-result" }, el("summary", { text: "Show the whole result (" + text.length.toLocaleString("en") + " characters)" }), el("pre", { text: text }))
        : el("pre", { text: text }),
      long ? el("pre", { class: "preview note", text: text.slice(0, 240) + "…" }) : null,
      stateDiff(tool.stateDiff),
    );
  }

  function stateDiff(operations) {
    if (!operations || operations.length === 0) return null;
    return el("div", { class: "state-diff" }, "State change", el("ul", null, operations.map(function (operation) {
      var path = operation.path.join(" › ");
      return el("li", { text: operation.op === "delete" ? "delete " + path : "set " + path + " = " + JSON.stringify(operation.value) });
    })));
  }

  function judgePanel(episode, judgment) {
    var criteria = {};
    ((episode.task && episode.task.criteria) || []).forEach(function (criterion) { criteria[criterion.id] = criterion; });
    var reasonsCard = el(
      "section",
      { class: "card", id: "reasons" },
      el("h3", { text: "Dataset: " + episode.dataset.status }),
      episode.dataset.reasons.length
        ? [el("div", { class: "note", text: "The filter rejected it for:" }), el("div", null, episode.dataset.reasons.map(function (reason) { return chip(reason, "rejected", "#episodes?reason=" + encodeURIComponent(reason)); }))]
        : el("p", { class: "note", text: episode.dataset.status === "kept" ? "Kept by the filter." : episode.dataset.status === "rejected" ? "Rejected." : "The filter has not seen this episode." }),
      judgment && judgment.reasons.length ? [el("div", { class: "note", text: "The judge's reason codes:" }), el("div", null, judgment.reasons.map(function (reason) { return chip(reason, "fail", "#episodes?reason=" + encodeURIComponent(reason)); }))] : null,
    );
    var judgeCard = judgment
      ? el(
          "section",
          { class: "card", id: "judgment" },
          el("h3", null, "Judge: ", chip(judgment.verdict, judgment.verdict), " score " + judgment.score.toFixed(2)),
          el("p", { text: judgment.summary }),
          judgment.judges ? el("div", { class: "note", text: "committee: " + judgment.judges.join(", ") + (judgment.agreement === undefined ? "" : " · agreement " + judgment.agreement.toFixed(2)) }) : judgment.model ? el("div", { class: "note", text: "judge: " + judgment.model }) : null,
          el("h3", { text: "Criteria", style: "margin-top:10px" }),
          judgment.criteria.map(function (score) {
            var criterion = criteria[score.criterionId];
            return el(
              "div",
              { class: "criterion", "data-criterion": score.criterionId },
              el("div", { class: "head" }, el("strong", { text: score.criterionId }), chip(score.kind, "muted"), score.required ? chip("required", "warn") : null, el("span", { class: "meter" }, el("span", { style: "width:" + Math.round(score.score * 100) + "%" })), " " + score.score.toFixed(2), score.agreement !== undefined ? chip("agreement " + score.agreement.toFixed(2), "muted") : null),
              criterion ? el("div", { class: "note", text: criterion.description }) : null,
              el("div", { class: "rationale", text: score.rationale }),
            );
          }),
          el("h3", { text: "Checks", style: "margin-top:10px" }),
          el("div", null, judgment.formatChecks.map(function (check) {
            return chip((check.passed ? "✓ " : "✗ ") + check.id + (check.reason ? ": " + check.reason : ""), check.passed ? "ok" : "fail");
          })),
        )
      : el("section", { class: "card", id: "judgment" }, el("h3", { text: "Judge" }), el("p", { class: "note", text: "This episode has not been judged." }));
    return el("aside", { class: "judge" }, reasonsCard, judgeCard, verificationCard(episode), factsCard(episode), taskCard(episode));
  }

  function verificationCard(episode) {
    var verification = episode.verification;
    var outcome = VERIFICATION[VERIFICATION.length - 1];
    if (verification && typeof verification === "object") {
      outcome = verification.applicable === false ? "not applicable" : verification.stateMatches === true ? "state matched" : verification.stateMatches === false ? "failed" : outcome;
    }
    return el(
      "section",
      { class: "card", id: "verification" },
      el("h3", null, "Verification: ", chip(outcome, outcome === "state matched" ? "ok" : outcome === "failed" ? "fail" : "muted")),
      verification && verification.reason ? el("div", { class: "note", text: verification.reason }) : null,
      verification && verification.missingFacts && verification.missingFacts.length ? el("div", { text: "facts the answer does not state: " + verification.missingFacts.join(", ") }) : null,
      verification && verification.diff && verification.diff.length
        ? el("div", { class: "state-diff" }, "Differences from the blueprint's final state", el("ul", null, verification.diff.map(function (difference) {
            return el("li", { text: difference.path.join(" › ") + ": expected " + show(difference.expected) + ", found " + show(difference.actual) });
          })))
        : null,
      verification ? null : el("p", { class: "note", text: "not recorded: this episode carries no blueprint verification" }),
    );
  }

  function factsCard(episode) {
    var injected = episode.faultPlan ? episode.faultPlan.injected : [];
    var facts = [
      ["status", episode.status + " (" + episode.endReason + ")"],
      ["error", episode.error],
      ["agent", (episode.agentName || "") + " " + episode.agentId],
      ["task", episode.taskId],
      ["run", episode.runId],
      ["seed", episode.seed],
      ["tokens", episode.usage.inputTokens + " in, " + episode.usage.outputTokens + " out"],
      ["injected faults", injected.length ? injected.map(function (fault) { return fault.kind + " on " + fault.toolName; }).join(", ") : "none"],
      ["context cuts", String((episode.contextCuts || []).length)],
      ["labels", episode.labels.join(", ") || "none"],
    ];
    return el(
      "section",
      { class: "card" },
      el("h3", { text: "Episode" }),
      el("dl", { class: "kv" }, facts.filter(function (fact) { return fact[1] !== undefined && fact[1] !== ""; }).map(function (fact) {
        return [el("dt", { text: fact[0] }), el("dd", { text: fact[1] })];
      })),
      el("details", null, el("summary", { text: "World state: initial" }), el("pre", { text: JSON.stringify(episode.worldState.initial, null, 2) })),
      el("details", null, el("summary", { text: "World state: final" }), el("pre", { text: JSON.stringify(episode.worldState.final, null, 2) })),
    );
  }

  function taskCard(episode) {
    var task = episode.task;
    if (!task) return el("section", { class: "card" }, el("h3", { text: "Task" }), el("p", { class: "note", text: "The task is no longer stored." }));
    var facts = [
      ["goal", task.goal],
      ["scenario", task.scenario === undefined ? "not recorded" : show(task.scenario)],
      ["shape", task.shape === undefined ? "not recorded" : show(task.shape)],
      ["difficulty", task.difficulty],
      ["persona", task.persona.name + " — " + task.persona.style + " (" + task.persona.expertise + ", patience " + task.persona.patience + ")"],
      ["hidden facts", task.hiddenFacts.map(function (fact) { return fact.key + " = " + show(fact.value); }).join("; ") || "none"],
      ["pass threshold", String(task.passThreshold)],
    ];
    return el("section", { class: "card" }, el("h3", { text: "Task" }), el("dl", { class: "kv" }, facts.map(function (fact) {
      return [el("dt", { text: fact[0] }), el("dd", { text: fact[1] })];
    })));
  }
})();
