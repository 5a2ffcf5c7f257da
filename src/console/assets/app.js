// The reference console's single-page app. Plain DOM, no framework: it imitates the self-hosted
// Palette system console closely enough that the guide's click paths work on it as written.
"use strict";

const TOKEN_KEY = "lscache-loginauthToken";
// "Palette" or "Palette VerteX", as the server was started (`console --product`).
const PRODUCT = document.documentElement.dataset.product || "Palette";
// Labels shown under other names (`console --rename OLD=NEW`): a UI that renamed a label.
const RENAMES = JSON.parse(document.documentElement.dataset.renames || "{}");
const MENU = [
  ["Summary", "summary", "M3 3h8v8H3zM13 3h8v5h-8zM13 10h8v11h-8zM3 13h8v8H3z"],
  ["Enterprise Cluster", "enterprise-cluster", "M12 2l9 5v10l-9 5-9-5V7zM12 7l-5 3v4l5 3 5-3v-4z"],
  ["Update Management", "update-management", "M12 4a8 8 0 1 0 8 8h-2a6 6 0 1 1-6-6v3l4-4-4-4z"],
  ["Tenant Management", "tenant-management", "M4 20V9l8-5 8 5v11h-5v-6H9v6z"],
  ["Administration", "administration", "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM11 1h2l1 3 3-1 1 2-2 2 1 3 3 1v2l-3 1-1 3 2 2-1 2-3-1-1 3h-2l-1-3-3 1-1-2 2-2-1-3-3-1v-2l3-1 1-3-2-2 1-2 3 1z"],
  ["Account Management", "account-management", "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM1 21a8 8 0 0 1 16 0zM17 11a3 3 0 1 0 0-6M19 21h4a6 6 0 0 0-5-6"],
  ["My Account", "my-account", "M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zM3 22a9 9 0 0 1 18 0z"],
];

const state = { flash: null, profileSelection: "Kubernetes", enterpriseTab: "Overview", adminTab: "Pack Registries" };

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "text") element.textContent = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    const text = child instanceof Node ? null : String(child);
    element.append(child instanceof Node ? child : document.createTextNode(Object.hasOwn(RENAMES, text) ? RENAMES[text] : text));
  }
  return element;
}

// The brand's wordmark; VerteX adds its edition beside it.
function wordmark() {
  return h("span", { class: "wordmark" }, "palette", PRODUCT === "Palette" ? null : h("span", { class: "edition" }, PRODUCT.replace(/^Palette /, "")));
}

function icon(path) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
  shape.setAttribute("d", path);
  shape.setAttribute("fill", "none");
  shape.setAttribute("stroke", "currentColor");
  shape.setAttribute("stroke-width", "1.8");
  shape.setAttribute("stroke-linejoin", "round");
  svg.append(shape);
  return svg;
}

class Locked extends Error {}
class LoggedOut extends Error {}

async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = token;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 423) throw new Locked();
  if (response.status === 401 && path !== "/v1/auth/syslogin") {
    localStorage.removeItem(TOKEN_KEY);
    throw new LoggedOut();
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((data && data.message) || response.statusText);
  return data;
}

function navigate(path) {
  history.pushState(null, "", path);
  route();
}

function page() {
  const rest = location.pathname.replace(/^\/system\/?/, "");
  return rest.split("/")[0] || "summary";
}

async function route() {
  try {
    const lock = await api("GET", "/v1/system/lock");
    if (lock.locked) return showLock(lock);
    if (!localStorage.getItem(TOKEN_KEY) || page() === "login") return showLogin();
    await showPage(page());
  } catch (error) {
    if (error instanceof Locked) return route();
    if (error instanceof LoggedOut) {
      state.flash = state.flash || "Your session has ended. Log in again.";
      return showLogin();
    }
    // The page failed to load: keep the Main Menu, so the user can go on or try again.
    const alert = h("p", { role: "alert", class: "form-error" }, `Something went wrong: ${error.message}`);
    const entry = MENU.find(([, slug]) => slug === page());
    if (entry && localStorage.getItem(TOKEN_KEY)) shell(entry[1], entry[0], "System Console", alert);
    else mount(h("div", { class: "content" }, alert));
  }
}

function mount(node) {
  const app = document.getElementById("app");
  app.replaceChildren(node);
}

function showLogin() {
  if (location.pathname !== "/system/login") history.replaceState(null, "", "/system/login");
  document.title = `Login · ${PRODUCT} System Console`;
  const error = h("div", { class: "form-error", role: "alert", hidden: true });
  const form = h("form", { novalidate: true },
    h("label", { for: "login-username" }, "Username"),
    h("input", { id: "login-username", name: "username", autocomplete: "username" }),
    h("label", { for: "login-password" }, "Password"),
    h("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password" }),
    error,
    h("button", { type: "submit", class: "primary" }, "Login"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const reply = await api("POST", "/v1/auth/syslogin", { username: form.username.value, password: form.password.value });
      localStorage.setItem(TOKEN_KEY, reply.Authorization);
      state.flash = null;
      state.flashError = null;
      navigate("/system/summary");
    } catch (failure) {
      if (failure instanceof Locked) return route();
      error.textContent = failure.message;
      error.hidden = false;
    }
  });
  mount(h("main", { class: "login-page" },
    h("div", { class: "login-card" },
      h("div", { class: "login-brand" }, h("img", { src: "/system/assets/logo.svg", alt: "" }), wordmark()),
      h("h1", {}, "System Console"),
      h("p", { class: "muted" }, `Log in to manage your self-hosted ${PRODUCT} installation.`),
      state.flash && h("div", { class: "notice", role: "status" }, state.flash),
      state.flashError && h("div", { class: "form-error", role: "alert" }, state.flashError),
      form),
    h("p", { class: "login-footer" }, "© 2026 Spectro Cloud, Inc. All rights reserved.")));
}

function shell(current, title, breadcrumb, ...content) {
  const items = MENU.map(([label, slug, path]) =>
    h("li", {}, h("a", { href: `/system/${slug}`, "aria-current": slug === current ? "page" : null, onclick: (event) => { event.preventDefault(); navigate(`/system/${slug}`); } },
      icon(path), h("span", {}, label))));
  const logout = h("button", { class: "logout", type: "button", onclick: async () => {
    try { await api("POST", "/v1/auth/syslogout"); } catch (ignored) { /* already logged out */ }
    localStorage.removeItem(TOKEN_KEY);
    state.flash = "You have been logged out.";
    navigate("/system/login");
  } }, "Logout");
  document.title = `${title} · ${PRODUCT} System Console`;
  mount(h("div", { class: "shell" },
    h("aside", { class: "sidebar" },
      h("div", { class: "brand" }, h("img", { src: "/system/assets/logo.svg", alt: "" }),
        h("div", {}, wordmark(), h("small", {}, "System Console"))),
      h("nav", { "aria-label": "Main Menu" }, h("ul", {}, items)),
      h("div", { class: "sidebar-bottom" }, h("div", { class: "license" }, "Trial mode", h("br"), "24 days left"), logout)),
    h("div", { class: "main" },
      h("header", { class: "topbar" },
        h("div", {}, h("div", { class: "breadcrumb" }, breadcrumb), h("h1", {}, title)),
        h("div", { class: "user" }, h("span", {}, "admin"), h("div", { class: "avatar", "aria-hidden": "true" }, "A"))),
      h("main", { class: "content" }, content))));
}

function tabs(labels, selected, onSelect) {
  return h("div", { role: "tablist" }, labels.map((label) =>
    h("button", { role: "tab", type: "button", "aria-selected": label === selected ? "true" : "false", onclick: () => onSelect(label) }, label)));
}

function editor(values, options) {
  const lines = values.split("\n").length;
  const gutter = h("pre", { class: "gutter", "aria-hidden": "true" }, Array.from({ length: lines }, (_, index) => index + 1).join("\n"));
  const area = h("textarea", { spellcheck: "false", readonly: options.readonly || null, "aria-labelledby": options.labelledBy, wrap: "off" });
  area.value = values;
  area.addEventListener("scroll", () => { gutter.scrollTop = area.scrollTop; });
  area.addEventListener("input", () => {
    gutter.textContent = Array.from({ length: area.value.split("\n").length }, (_, index) => index + 1).join("\n");
    if (options.onInput) options.onInput(area.value);
  });
  return h("div", { class: "editor" }, gutter, area);
}

async function showPage(name) {
  const views = {
    "summary": showSummary,
    "enterprise-cluster": showEnterpriseCluster,
    "update-management": showUpdateManagement,
    "tenant-management": showTenantManagement,
    "administration": showAdministration,
    "account-management": showAccountManagement,
    "my-account": showMyAccount,
  };
  await (views[name] || showSummary)();
}

async function showSummary() {
  const summary = await api("GET", "/v1/system/summary");
  const versionMessage = summary.update_available
    ? h("div", { class: "status-line" }, h("span", { class: "dot info" }), `A new version of ${PRODUCT} is available: ${summary.latest_version}`)
    : h("div", { class: "status-line" }, h("span", { class: "dot ok" }), `You are using the latest version of ${PRODUCT}`);
  shell("summary", "Summary", "System Console",
    summary.upgrade_error && h("div", { class: "banner error", role: "alert" }, h("span", {}, summary.upgrade_error)),
    summary.update_available && h("div", { class: "banner info", role: "status" },
      h("span", {}, `${PRODUCT} ${summary.latest_version} is available. Review the changes and update from Update Management.`)),
    h("div", { class: "banner trial", role: "note" }, h("span", {}, `Your ${PRODUCT} installation is in trial mode. 24 days remain.`), h("button", { class: "secondary", type: "button" }, `Activate ${PRODUCT}`)),
    h("div", { class: "grid" },
      h("section", { class: "card", "aria-labelledby": "card-version" },
        h("h2", { id: "card-version" }, `${PRODUCT} version`),
        h("div", { class: "big" }, summary.version), versionMessage),
      h("section", { class: "card", "aria-labelledby": "card-health" },
        h("h2", { id: "card-health" }, "System health"),
        h("div", { class: "status-line" }, h("span", { class: "dot ok" }), summary.health_message),
        h("div", { class: "status-line muted" }, `${summary.nodes_healthy} of ${summary.nodes_total} Enterprise Cluster nodes are healthy`)),
      h("section", { class: "card", "aria-labelledby": "card-tenants" },
        h("h2", { id: "card-tenants" }, "Tenants"),
        h("div", { class: "big" }, String(summary.tenants)),
        h("p", { class: "muted" }, "There are no tenants yet."),
        h("button", { class: "secondary", type: "button", onclick: () => navigate("/system/tenant-management") }, "Go to Tenant Management")),
      h("section", { class: "card", "aria-labelledby": "card-cluster" },
        h("h2", { id: "card-cluster" }, "Enterprise Cluster"),
        h("dl", { class: "details" },
          h("dt", {}, "Cloud"), h("dd", {}, "VMware vSphere"),
          h("dt", {}, "Kubernetes"), h("dd", {}, summary.kubernetes_version),
          h("dt", {}, "Nodes"), h("dd", {}, String(summary.nodes_total))))));
}

async function showEnterpriseCluster() {
  const [summary, profile] = await Promise.all([api("GET", "/v1/system/summary"), api("GET", "/v1/system/profile")]);
  const select = (tab) => { state.enterpriseTab = tab; showEnterpriseCluster(); };
  let body;
  if (state.enterpriseTab === "Profile") body = profileTab(profile.layers);
  else if (state.enterpriseTab === "Nodes") body = nodesTab();
  else body = h("section", { class: "card", "aria-labelledby": "overview-title" },
    h("h2", { id: "overview-title" }, "Cluster details"),
    h("dl", { class: "details" },
      h("dt", {}, "Name"), h("dd", {}, "spectro-mgmt-cluster"),
      h("dt", {}, "Cloud type"), h("dd", {}, "VMware vSphere"),
      h("dt", {}, `${PRODUCT} version`), h("dd", {}, summary.version),
      h("dt", {}, "Kubernetes version"), h("dd", {}, summary.kubernetes_version),
      h("dt", {}, "Health"), h("dd", {}, h("span", { class: "badge ok" }, "Healthy")),
      h("dt", {}, "Kubernetes Config File"), h("dd", {}, h("a", { href: "data:text/plain,apiVersion%3A%20v1%0Akind%3A%20Config%0A", download: "spectro-mgmt-cluster.kubeconfig" }, "spectro-mgmt-cluster.kubeconfig"))));
  shell("enterprise-cluster", "Enterprise Cluster", "System Console / Enterprise Cluster",
    tabs(["Overview", "Profile", "Nodes"], state.enterpriseTab, select), body);
}

function profileTab(layers) {
  const ordered = ["CSI", "CNI", "Kubernetes", "OS"].map((kind) => layers.find((layer) => layer.kind === kind)).filter(Boolean);
  const selected = ordered.find((layer) => layer.kind === state.profileSelection) || ordered[0];
  let edited = selected.values;
  const save = h("button", { class: "primary", type: "button", disabled: true, onclick: async () => {
    await api("PUT", `/v1/system/profile/layers/${selected.kind}`, { values: edited });
    showEnterpriseCluster();
  } }, "Save");
  return h("div", { class: "profile" },
    h("section", { class: "card", "aria-labelledby": "profile-title" },
      h("h2", { id: "profile-title" }, "Enterprise Cluster profile"),
      h("ul", { class: "layers", role: "listbox", "aria-label": "Profile layers" }, ordered.map((layer) =>
        h("li", { role: "option", "aria-selected": layer === selected ? "true" : "false", tabindex: "0",
          onclick: () => { state.profileSelection = layer.kind; showEnterpriseCluster(); } },
          h("span", { class: "layer-kind" }, layer.kind),
          h("span", {}, h("div", { class: "layer-name" }, layer.pack), h("div", { class: "layer-version" }, layer.version)))))),
    h("section", { class: "card", "aria-labelledby": "layer-title" },
      h("div", { class: "pane-header" },
        h("h3", { id: "layer-title" }, `${selected.pack} ${selected.version}`),
        h("span", { class: "muted small" }, `${selected.registry_name} · ${selected.kind} layer`)),
      editor(selected.values, { labelledBy: "layer-title", onInput: (value) => { edited = value; save.disabled = value === selected.values; } }),
      h("div", { class: "actions" }, save)));
}

function nodesTab() {
  const rows = [["spectro-mgmt-cp-1", "10.10.100.11"], ["spectro-mgmt-cp-2", "10.10.100.12"], ["spectro-mgmt-cp-3", "10.10.100.13"]];
  return h("table", {},
    h("thead", {}, h("tr", {}, ["Name", "Role", "IP address", "Status"].map((title) => h("th", {}, title)))),
    h("tbody", {}, rows.map(([name, address]) =>
      h("tr", {}, h("td", {}, name), h("td", {}, "Control plane"), h("td", {}, address), h("td", {}, h("span", { class: "badge ok" }, "Healthy"))))));
}

async function showUpdateManagement() {
  const offer = await api("GET", "/v1/system/updates");
  const card = offer.available_version
    ? h("section", { class: "card", "aria-labelledby": "updates-title" },
      h("h2", { id: "updates-title" }, `${PRODUCT} updates`),
      h("div", { class: "status-line" }, h("span", { class: "dot info" }), `${PRODUCT} ${offer.available_version} is available. You are running ${offer.current_version}.`),
      h("p", { class: "muted" }, "The update brings new versions of the Enterprise Cluster profile layers. Review the incoming changes to each layer and carry over your customizations before you confirm."),
      h("div", { class: "actions" }, h("button", { class: "primary", type: "button", onclick: () => openUpdateDialog(offer) }, "Update")))
    : h("section", { class: "card", "aria-labelledby": "updates-title" },
      h("h2", { id: "updates-title" }, `${PRODUCT} updates`),
      h("div", { class: "status-line" }, h("span", { class: "dot ok" }), `You are using the latest version of ${PRODUCT}`),
      h("p", { class: "muted" }, `${PRODUCT} ${offer.current_version}`));
  shell("update-management", "Update Management", "System Console / Update Management", card);
}

function openUpdateDialog(offer) {
  const edits = Object.fromEntries(offer.layers.map((layer) => [layer.incoming.kind, layer.current_values]));
  const ordered = ["Kubernetes", "CNI", "CSI", "OS"].map((kind) => offer.layers.find((layer) => layer.incoming.kind === kind)).filter(Boolean);
  let selected = ordered[0];
  const body = h("div", { class: "modal-body" });
  const renderBody = () => {
    const installed = selected.current_values;
    const status = h("span", { class: "muted small" }, installed === edits[selected.incoming.kind] ? "Installed values" : "Edited");
    body.replaceChildren(
      h("nav", { "aria-label": "Profile layers" }, h("ul", { class: "layers", role: "listbox", "aria-label": "Profile layers" }, ordered.map((layer) =>
        h("li", { role: "option", tabindex: "0", "aria-selected": layer === selected ? "true" : "false", onclick: () => { selected = layer; renderBody(); } },
          h("span", {}, h("div", { class: "layer-name" }, layer.incoming.kind), h("div", { class: "change" }, layer.incoming.pack, " ", layer.incoming.version)))))),
      h("section", { "aria-labelledby": "pane-incoming" },
        h("div", { class: "pane-header" }, h("h3", { id: "pane-incoming" }, "Incoming changes"), h("span", { class: "muted small" }, `${selected.incoming.pack} ${selected.incoming.version}`)),
        editor(selected.incoming.values, { readonly: true, labelledBy: "pane-incoming" })),
      h("section", { "aria-labelledby": "pane-current" },
        h("div", { class: "pane-header" }, h("h3", { id: "pane-current" }, "Current configuration"), status),
        editor(edits[selected.incoming.kind], { labelledBy: "pane-current", onInput: (value) => {
          edits[selected.incoming.kind] = value;
          status.textContent = value === installed ? "Installed values" : "Edited";
        } })));
  };
  renderBody();
  const close = () => backdrop.remove();
  const error = h("span", { class: "form-error", role: "alert", hidden: true });
  const confirm = h("button", { class: "primary", type: "button", onclick: async () => {
    confirm.disabled = true;
    try {
      await api("POST", "/v1/system/updates/apply", { version: offer.available_version, layers: edits });
      close();
      route();
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
      confirm.disabled = false;
    }
  } }, "Confirm");
  const backdrop = h("div", { class: "backdrop" },
    h("div", { class: "modal", role: "dialog", "aria-modal": "true", "aria-labelledby": "update-title" },
      h("header", {},
        h("div", {}, h("h2", { id: "update-title" }, "Palette version update"),
          h("div", { class: "muted" }, `${offer.current_version} → ${offer.available_version}`)),
        h("button", { class: "close", type: "button", "aria-label": "Close", onclick: close }, "×")),
      body,
      h("footer", {},
        h("span", { class: "muted small" }, "Transfer your customizations into Current configuration for every layer before you confirm."),
        error,
        h("div", { class: "buttons" }, h("button", { class: "secondary", type: "button", onclick: close }, "Cancel"), confirm))));
  document.body.append(backdrop);
}

function showLock(lock) {
  const percent = lock.total_seconds > 0 ? Math.min(100, Math.round((100 * lock.elapsed_seconds) / lock.total_seconds)) : 0;
  document.title = `Upgrading · ${PRODUCT} System Console`;
  mount(h("div", { class: "lock", role: "alertdialog", "aria-modal": "true", "aria-busy": "true", "aria-labelledby": "lock-title" },
    h("div", { class: "lock-card" },
      h("img", { src: "/system/assets/logo.svg", alt: "" }),
      h("h2", { id: "lock-title" }, `Upgrading ${PRODUCT} to ${lock.target_version}`),
      h("p", {}, "The system console is locked while the upgrade is applied. This takes a couple of minutes. You will be asked to log in again when it is done."),
      h("div", { class: "progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(percent) }, h("div", { style: `width: ${percent}%` })),
      h("p", { class: "small" }, `${percent}% complete`))));
  // The console itself polls its lock; this is the page's own behaviour, not a harness wait.
  setTimeout(async () => {
    const next = await api("GET", "/v1/system/lock").catch(() => lock);
    if (next.locked) return showLock(next);
    localStorage.removeItem(TOKEN_KEY);
    state.flash = "The system console is unlocked. Log in again to continue.";
    state.flashError = next.error || null;
    navigate("/system/login");
  }, 1000);
}

function showTenantManagement() {
  shell("tenant-management", "Tenant Management", "System Console / Tenant Management",
    h("div", { class: "toolbar" }, h("button", { class: "primary", type: "button" }, "Create New Tenant")),
    h("table", {}, h("thead", {}, h("tr", {}, ["Org Name", "Admin", "Status", ""].map((title) => h("th", {}, title)))),
      h("tbody", {}, h("tr", {}, h("td", { colspan: "4", class: "empty" }, "There are no tenants yet.")))));
}

async function showAdministration() {
  const labels = ["Pack Registries", "SMTP", "Certificates", "Backup/Restore", "Feature Flags", "Activation"];
  const select = (tab) => { state.adminTab = tab; showAdministration(); };
  const body = state.adminTab === "Pack Registries"
    ? await packRegistries()
    : h("section", { class: "card" }, h("h2", {}, state.adminTab), h("p", { class: "muted" }, `${state.adminTab} settings for the self-hosted ${PRODUCT} installation.`));
  shell("administration", "Administration", "System Console / Administration", tabs(labels, state.adminTab, select), body);
}

// Administration > Pack Registries: each row's three-dot Menu offers Sync and Edit. While a sync
// runs, the page looks again every second (the console's own behaviour, as its lock page does).
async function packRegistries() {
  const { registries } = await api("GET", "/v1/system/registries");
  const badge = { Ready: "ok", Syncing: "info", Synced: "ok" };
  const rows = registries.map((registry) => {
    const menu = h("div", { class: "row-menu", role: "menu", "aria-label": `${registry.name} actions`, hidden: true },
      h("button", { role: "menuitem", type: "button", onclick: async () => {
        menu.hidden = true;
        await api("POST", `/v1/system/registries/${registry.name}/sync`);
        showAdministration();
      } }, "Sync"),
      h("button", { role: "menuitem", type: "button", onclick: () => { menu.hidden = true; } }, "Edit"));
    const toggle = h("button", { class: "kebab", type: "button", "aria-label": "Menu", "aria-haspopup": "menu", title: "Menu", onclick: () => { menu.hidden = !menu.hidden; } },
      h("span", { "aria-hidden": "true" }, "⋮"));
    return h("tr", {}, h("td", {}, registry.name), h("td", {}, registry.endpoint), h("td", {}, registry.last_synced),
      h("td", {}, h("span", { class: `badge ${badge[registry.status] || "ok"}` }, registry.status)),
      h("td", { class: "row-actions" }, toggle, menu));
  });
  if (registries.some((registry) => registry.status === "Syncing")) {
    setTimeout(() => { if (page() === "administration" && state.adminTab === "Pack Registries") showAdministration().catch(() => route()); }, 1000);
  }
  return h("div", {},
    h("div", { class: "toolbar" }, h("button", { class: "primary", type: "button" }, "Add New Pack Registry")),
    h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Endpoint", "Last synced", "Status", ""].map((title) => h("th", {}, title)))),
      h("tbody", {}, rows)));
}

function showAccountManagement() {
  shell("account-management", "Account Management", "System Console / Account Management",
    h("div", { class: "toolbar" }, h("button", { class: "primary", type: "button" }, "Create Admin")),
    h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Email", "Account Type", "Status"].map((title) => h("th", {}, title)))),
      h("tbody", {}, h("tr", {}, h("td", {}, "admin"), h("td", {}, "—"), h("td", {}, "Operations Administrator"), h("td", {}, h("span", { class: "badge ok" }, "Active"))))));
}

function showMyAccount() {
  shell("my-account", "My Account", "System Console / My Account",
    h("section", { class: "card", "aria-labelledby": "account-email" },
      h("h2", { id: "account-email" }, "Email"),
      h("dl", { class: "details" }, h("dt", {}, "Username"), h("dd", {}, "admin"), h("dt", {}, "Email"), h("dd", {}, "Not set"))));
}

window.addEventListener("popstate", route);
route();
