// The query page: YASGUI with one tab per stored query (queries/*.rq, from /queries.json),
// or a plain form when YASGUI has not been fetched. `?run=NAME` (or `?run=1` for the first
// stored query) opens that query and runs it at once, so a link can show an answer.
"use strict";

(async function main() {
  const endpoint = new URL("sparql", document.baseURI).href;
  const status = document.getElementById("status");
  document.getElementById("endpoint").textContent = endpoint;
  const say = (text, isError) => {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  };

  let queries = [];
  try {
    const response = await fetch("queries.json");
    queries = await response.json();
  } catch (err) {
    say("Could not read the stored queries: " + err, true);
  }
  const wanted = new URLSearchParams(location.search).get("run");
  const runFirst = wanted && (queries.find((q) => q.name === wanted) || (wanted === "1" && queries[0]));

  const open = window.Yasgui ? startYasgui(endpoint, queries, say) : startFallback(endpoint, say);
  listQueries(queries, open);
  if (runFirst) {
    open(runFirst, true);
  } else if (queries.length) {
    open(queries[0], false);
  }
  document.body.dataset.ready = "yes";
})();

function listQueries(queries, open) {
  const list = document.getElementById("query-list");
  for (const query of queries) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = query.title;
    button.title = query.name + ".rq";
    button.addEventListener("click", () => open(query, false));
    item.appendChild(button);
    const question = document.createElement("span");
    question.className = "question";
    question.textContent = query.question;
    item.appendChild(question);
    if (query.onlineOnly) {
      const note = document.createElement("span");
      note.className = "online";
      note.textContent = "needs the internet (federated); fails on this local endpoint";
      item.appendChild(note);
    }
    list.appendChild(item);
  }
  if (!queries.length) {
    list.innerHTML = "<li>No stored queries found.</li>";
  }
}

function startYasgui(endpoint, queries, say) {
  const yasgui = new window.Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null, // always start from the stored queries, not from old tabs
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    // the class and property autocompleters ask a web service; keep the page offline
    yasqe: { autocompleters: ["prefixes", "variables"] },
  });
  const initial = yasgui.getTab();
  const tabs = new Map();
  for (const query of queries) {
    const tab = yasgui.addTab(false, { name: query.title, yasqe: { value: query.query } });
    tabs.set(query.name, tab.getId());
  }
  if (initial && queries.length) {
    initial.close();
  }
  yasgui.on("queryResponse", (_instance, tab) => {
    // YASGUI announces the response before handing it to the results view: read it after
    setTimeout(() => {
      let rows = "answer received";
      try {
        const results = tab.getYasr().results;
        const bindings = results && results.getBindings();
        if (bindings) {
          rows = bindings.length + " rows";
        }
      } catch (_err) {
        // a graph or an error: keep the plain note
      }
      say(tab.getName() + ": " + rows);
      document.body.dataset.lastAnswer = rows;
    }, 0);
  });
  say("YASGUI ready: " + queries.length + " stored queries as tabs. Ctrl-Enter runs a query.");
  return (query, run) => {
    const id = tabs.get(query.name);
    yasgui.selectTabId(id);
    const tab = yasgui.getTab(id);
    if (run && tab) {
      tab.query();
    }
  };
}

function startFallback(endpoint, say) {
  const box = document.getElementById("yasgui");
  box.id = "fallback";
  box.innerHTML =
    '<textarea spellcheck="false" aria-label="SPARQL query"></textarea>' +
    '<p><button type="button">Run</button></p><div class="results"></div>';
  const text = box.querySelector("textarea");
  const results = box.querySelector(".results");
  const run = async () => {
    say("Running…");
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
      body: text.value,
    });
    if (!response.ok) {
      say("Error " + response.status + ": " + (await response.text()), true);
      return;
    }
    const data = await response.json();
    results.replaceChildren(renderTable(data));
    const rows = data.results ? data.results.bindings.length + " rows" : String(data.boolean);
    say(rows);
    document.body.dataset.lastAnswer = rows;
  };
  box.querySelector("button").addEventListener("click", run);
  say("YASGUI is not installed here (run `make yasgui`); this is the plain form.");
  return (query, runNow) => {
    text.value = query.query;
    if (runNow) {
      run();
    }
  };
}

function renderTable(data) {
  const table = document.createElement("table");
  if (!data.results) {
    table.innerHTML = "<tr><th>ASK</th></tr>";
    table.insertRow().insertCell().textContent = String(data.boolean);
    return table;
  }
  const head = table.createTHead().insertRow();
  for (const name of data.head.vars) {
    head.appendChild(document.createElement("th")).textContent = name;
  }
  const body = table.createTBody();
  for (const binding of data.results.bindings) {
    const row = body.insertRow();
    for (const name of data.head.vars) {
      row.insertCell().textContent = binding[name] ? binding[name].value : "";
    }
  }
  return table;
}

// Links in the results to the graph's own IRIs (https://w3id.org/hrkg/id/…, …/vocab/…) lead
// to this server's pages for them (the site, served by `hrkg serve`): the w3id.org redirect
// is not registered yet. Other links are left alone.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  const base = "https://w3id.org/hrkg/";
  if (!link || event.defaultPrevented || event.button !== 0) {
    return;
  }
  const href = link.getAttribute("href");
  if (href.startsWith(base + "id/") || href.startsWith(base + "vocab/")) {
    event.preventDefault();
    window.open(new URL(href.slice(base.length), document.baseURI).href, link.target || "_self");
  }
});
