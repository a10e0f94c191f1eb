// reelgraph explorer: small progressive enhancements; every page works without this file.
"use strict";

// Document page: the legend's buttons show or hide one highlight layer.
function setupLegend() {
  const article = document.getElementById("article");
  const legend = document.getElementById("legend");
  if (!article || !legend) return;
  legend.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-layer]");
    if (!button) return;
    const layer = button.dataset.layer;
    const off = article.classList.toggle("off-" + layer);
    button.classList.toggle("muted", off);
    button.setAttribute("aria-pressed", String(!off));
  });
}

// Graph page: hovering a node lights up its links and neighbours.
function setupGraph() {
  const svg = document.getElementById("graph");
  const dataElement = document.getElementById("graph-data");
  if (!svg || !dataElement) return;
  const data = JSON.parse(dataElement.textContent);
  const neighbours = new Map();
  for (const edge of data.edges) {
    for (const [a, b] of [[edge.source, edge.target], [edge.target, edge.source]]) {
      if (!neighbours.has(a)) neighbours.set(a, new Set());
      neighbours.get(a).add(b);
    }
  }
  const nodes = svg.querySelectorAll(".node");
  const edges = svg.querySelectorAll(".edge");
  const focus = (id) => {
    const near = neighbours.get(id) || new Set();
    svg.classList.toggle("focused", id !== null);
    nodes.forEach((n) => n.classList.toggle("lit", n.dataset.id === id || near.has(n.dataset.id)));
    edges.forEach((e) => e.classList.toggle("lit", e.dataset.source === id || e.dataset.target === id));
  };
  nodes.forEach((n) => {
    n.addEventListener("mouseenter", () => focus(n.dataset.id));
    n.addEventListener("mouseleave", () => focus(null));
    n.addEventListener("focus", () => focus(n.dataset.id));
    n.addEventListener("blur", () => focus(null));
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupLegend();
  setupGraph();
});
