// Tiny DOM helpers. Wire data only ever reaches the page through textContent and attributes, never
// through HTML parsing, so a hostile string renders as text.

type Child = Node | string | null | undefined | false;

export interface ElOptions {
  class?: string;
  text?: string;
  title?: string;
  data?: Record<string, string>;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, o: ElOptions = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (o.class) node.className = o.class;
  if (o.text !== undefined) node.textContent = o.text;
  if (o.title) node.title = o.title;
  for (const [k, v] of Object.entries(o.data ?? {})) node.dataset[k] = v;
  for (const [k, v] of Object.entries(o.attrs ?? {})) node.setAttribute(k, v);
  for (const c of children) if (c) node.append(c);
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`dashboard: element #${id} is missing from index.html`);
  return node as T;
}

/** Sets text only when it changed (no layout work for unchanged values). */
export function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** A table body rebuilt from rows; the header is written once. */
export function fillTable(table: HTMLTableElement, header: string[], rows: HTMLTableRowElement[], empty: string): void {
  if (!table.tHead) table.createTHead().append(el("tr", {}, header.map((h) => el("th", { text: h }))));
  const body = table.tBodies[0] ?? table.createTBody();
  if (rows.length === 0) body.replaceChildren(el("tr", { class: "empty" }, [el("td", { text: empty, attrs: { colspan: String(header.length) } })]));
  else body.replaceChildren(...rows);
}
